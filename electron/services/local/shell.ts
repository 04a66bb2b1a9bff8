/**
 * The POSIX shell that starts stages, by absolute path where it is the usual one: spawning plain
 * `sh` tries each PATH entry in turn (one failed exec each) while the runner waits for the exec.
 */
import { existsSync } from 'node:fs';

export const SHELL = existsSync('/bin/sh') ? '/bin/sh' : 'sh';
