/** New: an empty pipeline or one of the catalog's templates. */
import { useTranslation } from 'react-i18next';
import { startDocument } from '../files/fileActions.ts';
import { listTemplates } from '../files/templates.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { localize, useLang } from '../i18n/index.ts';
import { Modal } from './Modal.tsx';

export function NewDialog() {
  const { t } = useTranslation();
  const lang = useLang();
  const templates = listTemplates();
  return (
    <Modal title={t('newDialog.title')} wide>
      <ul className="choice-list">
        <li>
          <button type="button" className="choice" onClick={() => startDocument(null)}>
            <strong>{t('newDialog.empty')}</strong>
            <span className="muted">{t('newDialog.emptyHelp')}</span>
          </button>
        </li>
        {templates.map((tpl) => (
          <li key={tpl.id}>
            <button type="button" className="choice" data-template={tpl.id} onClick={() => startDocument(templateDocument(tpl.id, lang) ?? tpl.document)}>
              <strong>{localize(tpl.title, lang)}</strong>
              <span className="muted">{localize(tpl.description, lang)}</span>
              <span className="muted small">{t('newDialog.steps', { count: tpl.document.nodes.length })}</span>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
