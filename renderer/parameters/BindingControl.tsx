/** Under a node parameter: bind it to a run-time pipeline parameter of a fitting type, or unbind it. */
import { useTranslation } from 'react-i18next';
import { bindableTypes } from '../../shared/pipeline/parameters.ts';
import { isParamBinding } from '../../shared/pipeline/types.ts';
import type { NodeParamValue, ParamSpec, PipelineNode } from '../../shared/pipeline/types.ts';
import { appStore, useAppStore } from '../store/index.ts';

export function BindingControl({ node, spec, id }: { node: PipelineNode; spec: ParamSpec; id: string }) {
  const { t } = useTranslation();
  const parameters = useAppStore((s) => s.doc.parameters) ?? [];
  const types = bindableTypes(spec);
  if (types.length === 0 || parameters.length === 0) return null;
  const own0 = node.params?.[spec.name];
  if (!isParamBinding(own0) && !parameters.some((p) => types.includes(p.type))) return null;
  const own: NodeParamValue | undefined = node.params?.[spec.name];
  const bound = isParamBinding(own) ? own.$param : '';
  const fitting = parameters.filter((p) => types.includes(p.type) || p.name === bound);
  const set = (name: string) =>
    appStore.getState().dispatch({ type: 'set-param', id: node.id, name: spec.name, value: name === '' ? undefined : ({ $param: name } as never) });
  return (
    <div className={`param-binding ${bound ? 'bound' : ''}`}>
      <label htmlFor={id} className="small muted">
        {t('parameters.bind')}
      </label>
      {fitting.length === 0 ? (
        <span className="small muted">{t('parameters.noneFits', { types: types.map((ty) => t(`parameters.types.${ty}`)).join(', ') })}</span>
      ) : (
        <select id={id} value={bound} onChange={(e) => set(e.target.value)} data-testid={`bind-${spec.name}`}>
          <option value="">{t('parameters.unbound')}</option>
          {fitting.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} ({t(`parameters.types.${p.type}`)})
            </option>
          ))}
        </select>
      )}
      {bound && <div className="small field-hint">{t('parameters.boundTo', { name: bound })}</div>}
    </div>
  );
}
