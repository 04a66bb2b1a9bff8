/** Every registered action with its shortcuts. */
import { useTranslation } from 'react-i18next';
import type { ActionGroup } from '../commands/actions.ts';
import { actions } from '../commands/actions.ts';
import { displayChord } from '../commands/keys.ts';
import { Modal } from './Modal.tsx';

const GROUPS: ActionGroup[] = ['file', 'edit', 'view', 'run', 'help'];

export function HelpDialog() {
  const { t } = useTranslation();
  return (
    <Modal title={t('help.title')} wide>
      <div className="shortcut-groups">
        {GROUPS.map((g) => (
          <section key={g}>
            <h3>{t(`help.group.${g}`)}</h3>
            <table className="shortcuts">
              <tbody>
                {actions
                  .filter((a) => a.group === g && a.kbd.length > 0)
                  .map((a) => (
                    <tr key={a.id}>
                      <td>{t(a.label)}</td>
                      <td className="keys">
                        {a.kbd.map((k) => (
                          <kbd key={k}>{displayChord(k)}</kbd>
                        ))}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      <p className="muted small">{t('help.mouse')}</p>
    </Modal>
  );
}
