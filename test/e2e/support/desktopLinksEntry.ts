/** The desktop app's link path, bundled for a plain page: the real preload, then the renderer's link handler. */
import '../../../electron/preload.ts';
import { installExternalLinks } from '../../../renderer/api/externalLinks.ts';

const target = window as unknown as { __refused: string[] };
target.__refused = [];
installExternalLinks(document, window.pipewright, (message) => target.__refused.push(message));
