/** The emitters' output buffer: text written in many small pieces, kept as a few flat chunks. */

// The text is flushed into flat chunks of about 32 KB: one growing string of a million pieces stays
// alive until the end, and the garbage collector spent half the time copying it.
const CHUNK_LENGTH = 32768;

/** Text written piece by piece: the pieces of the current chunk, and the flat chunks before it. */
export class TextChunks {
  // The current chunk's pieces in a reused array, joined once it holds CHUNK_LENGTH characters: a
  // string grown by += allocates a cons cell per piece and flattens them all again when read.
  private readonly pieces: string[] = [];
  private length = 0;
  private readonly chunks: string[] = [];

  write(piece: string): void {
    if (piece.length >= CHUNK_LENGTH) {
      // A literal block of a whole script is a chunk of its own, so it is copied once, at the end.
      this.flush();
      this.chunks.push(piece);
      return;
    }
    this.pieces.push(piece);
    this.length += piece.length;
    if (this.length >= CHUNK_LENGTH) this.flush();
  }

  private flush(): void {
    if (this.length === 0) return;
    this.chunks.push(this.pieces.join(''));
    this.pieces.length = 0;
    this.length = 0;
  }

  /** The whole text as chunks in order (none when nothing was written). */
  parts(): string[] {
    this.flush();
    return this.chunks;
  }

  text(): string {
    return this.parts().join('');
  }
}
