/** Renders whichever dialog the store says is open. */
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/index.ts';
import { BlockedDialog } from './BlockedDialog.tsx';
import { FileDialog } from './FileDialog.tsx';
import { ConfirmDiscardDialog, OpenErrorDialog, RecoveryDialog, SaveConflictDialog } from './FileDialogs.tsx';
import { HelpDialog } from './HelpDialog.tsx';
import { Modal } from './Modal.tsx';
import { NewDialog } from './NewDialog.tsx';
import { SettingsDialog } from './SettingsDialog.tsx';
import { RunDialog } from '../runs/RunDialog.tsx';
import { SchedulesDialog } from '../schedules/SchedulesDialog.tsx';

function AboutDialog() {
  const { t } = useTranslation();
  const version = useAppStore((s) => s.session?.version ?? '');
  return (
    <Modal title={t('about.title')}>
      <p>
        <strong>Pipewright</strong> {version}
      </p>
      <p>{t('about.body')}</p>
    </Modal>
  );
}

export function Dialogs() {
  const dialog = useAppStore((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'help':
      return <HelpDialog />;
    case 'settings':
      return <SettingsDialog section={dialog.section} />;
    case 'run':
      return <RunDialog />;
    case 'new':
      return <NewDialog />;
    case 'blocked':
      return <BlockedDialog action={dialog.action} />;
    case 'open-error':
      return <OpenErrorDialog dialog={dialog} />;
    case 'save-conflict':
      return <SaveConflictDialog dialog={dialog} />;
    case 'confirm-discard':
      return <ConfirmDiscardDialog dialog={dialog} />;
    case 'recovery':
      return <RecoveryDialog dialog={dialog} />;
    case 'file':
      return <FileDialog dialog={dialog} />;
    case 'about':
      return <AboutDialog />;
    case 'schedules':
      return <SchedulesDialog />;
  }
}
