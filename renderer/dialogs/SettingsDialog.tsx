/** Language, theme, canvas and local-run preferences (all but the canvas ones kept by the back end); clusters on their own tab. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ClusterSettings } from '../clusters/ClusterSettings.tsx';
import { api } from '../api/client.ts';
import { appStore, useAppStore } from '../store/index.ts';
import type { LanguageChoice, ThemeChoice } from '../store/uiSlice.ts';
import { LocalRunSettings } from './LocalRunSettings.tsx';
import { AlertAppSettings } from '../monitoring/AlertAppSettings.tsx';
import { GpuEstimateSettings } from '../estimate/GpuEstimateSettings.tsx';
import { Modal } from './Modal.tsx';

export function SettingsDialog({ section = 'general' }: { section?: 'general' | 'clusters' }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState(section);
  const language = useAppStore((s) => s.language);
  const theme = useAppStore((s) => s.theme);
  const snap = useAppStore((s) => s.snapToGrid);
  const minimap = useAppStore((s) => s.showMinimap);
  const { setLanguage, setTheme, setSnapToGrid, setShowMinimap } = appStore.getState();
  const persist = (patch: { language?: LanguageChoice; theme?: ThemeChoice }) => void api.updateSettings(patch).catch(() => undefined);
  return (
    <Modal title={t('settingsDialog.title')} wide={tab === 'clusters'}>
      <div className="tabs settings-tabs" role="tablist">
        {(['general', 'clusters'] as const).map((id) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'active' : ''} onClick={() => setTab(id)}>
            {t(id === 'general' ? 'clusters.general' : 'clusters.tab')}
          </button>
        ))}
      </div>
      {tab === 'clusters' && <ClusterSettings />}
      {tab === 'general' && (
        <div className="form-grid">
          <label htmlFor="setting-language">{t('settingsDialog.language')}</label>
          <select
            id="setting-language"
            value={language}
            onChange={(e) => {
              const v = e.target.value as LanguageChoice;
              setLanguage(v);
              persist({ language: v });
            }}
          >
            <option value="system">{t('settingsDialog.system')}</option>
            <option value="en">English</option>
            <option value="ko">한국어</option>
          </select>
          <label htmlFor="setting-theme">{t('settingsDialog.theme')}</label>
          <select
            id="setting-theme"
            value={theme}
            onChange={(e) => {
              const v = e.target.value as ThemeChoice;
              setTheme(v);
              persist({ theme: v });
            }}
          >
            <option value="system">{t('settingsDialog.system')}</option>
            <option value="light">{t('settingsDialog.light')}</option>
            <option value="dark">{t('settingsDialog.dark')}</option>
          </select>
          <label htmlFor="setting-snap">{t('settingsDialog.snap')}</label>
          <input id="setting-snap" type="checkbox" checked={snap} onChange={(e) => setSnapToGrid(e.target.checked)} />
          <label htmlFor="setting-minimap">{t('settingsDialog.minimap')}</label>
          <input id="setting-minimap" type="checkbox" checked={minimap} onChange={(e) => setShowMinimap(e.target.checked)} />
          <LocalRunSettings />
          <AlertAppSettings />
          <GpuEstimateSettings />
        </div>
      )}
    </Modal>
  );
}
