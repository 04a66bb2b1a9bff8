import '@xyflow/react/dist/base.css';
import './styles/theme.css';
import './styles/app.css';
import './styles/controls.css';
import './styles/dialogs.css';
import './styles/canvas.css';
import './styles/node-far.css';
import './styles/node-parts.css';
import './styles/panels.css';
import './styles/bottom-panel.css';
import './shell/layout.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { installExternalLinks } from './api/externalLinks.ts';
import { installDebugHandle } from './debugHandle.ts';
import { startLayoutSync } from './shell/layoutSlice.ts';
import { initI18n, systemLanguage } from './i18n/index.ts';
import { appStore } from './store/index.ts';

const lang = systemLanguage();
await initI18n(lang);
appStore.getState().setUiLang(lang);
installDebugHandle();
// Desktop only: a clicked link opens in the system browser (see api/externalLinks.ts).
installExternalLinks(document, window.pipewright, (message) => appStore.getState().showStatus('error', 'files.linkNotOpened', { message }));
startLayoutSync(appStore);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
