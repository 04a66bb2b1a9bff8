/** One parameter's control, generated from its ParamSpec. */
import { useTranslation } from 'react-i18next';
import type { ParamSpec, ParamValue, Problem } from '../../shared/pipeline/types.ts';
import { formatNumber } from '../format.ts';
import { localize, useLang } from '../i18n/index.ts';
import { CheckboxField, NumberField, SelectField, TextField } from './fields.tsx';

interface Props {
  id: string;
  spec: ParamSpec;
  /** The node's own value, if it overrides the default. */
  own: ParamValue | undefined;
  /** What the step gets: own value, else the default. */
  effective: ParamValue | undefined;
  problems: readonly Problem[];
  /** `live`: part of a typing gesture (one undo step per field edit). */
  onChange(value: ParamValue | undefined, live: boolean): void;
}

export function ParamField({ id, spec, own, effective, problems, onChange }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const label = localize(spec.title, lang, spec.name);
  const help = localize(spec.help, lang);
  const overridden = own !== undefined && spec.default !== undefined && JSON.stringify(own) !== JSON.stringify(spec.default);
  const reset = () => onChange(undefined, false);
  switch (spec.type) {
    case 'number':
    case 'integer':
      return (
        <NumberField
          id={id}
          label={label}
          value={typeof effective === 'number' ? effective : undefined}
          integer={spec.type === 'integer'}
          min={spec.min}
          max={spec.max}
          step={spec.step}
          unit={spec.unit && t(`units.${spec.unit}`, { defaultValue: spec.unit })}
          placeholder={typeof spec.default === 'number' ? formatNumber(spec.default) : ''}
          onCommit={(v) => onChange(v, true)}
          problems={problems}
          overridden={overridden}
          onReset={reset}
        />
      );
    case 'boolean':
      return <CheckboxField id={id} label={label} checked={effective === true} onCommit={(v) => onChange(v, false)} problems={problems} hint={help} />;
    case 'enum':
      return (
        <SelectField
          id={id}
          label={label}
          value={String(effective ?? '')}
          options={(spec.enum ?? []).map((v) => ({ value: v, label: v }))}
          onCommit={(v) => onChange(v, false)}
          problems={problems}
          hint={help}
          overridden={overridden}
          onReset={reset}
        />
      );
    case 'string-list':
      return (
        <TextField
          id={id}
          label={label}
          value={Array.isArray(effective) ? effective.join(', ') : ''}
          onCommit={(v) => onChange(v.split(',').map((s) => s.trim()).filter(Boolean), true)}
          hint={`${help} ${t('inspector.commaSeparated')}`}
          problems={problems}
          overridden={overridden}
          onReset={reset}
        />
      );
    case 'string':
      return (
        <TextField
          id={id}
          label={label}
          value={typeof effective === 'string' ? effective : ''}
          placeholder={typeof spec.default === 'string' ? spec.default : ''}
          onCommit={(v) => onChange(v, true)}
          hint={help}
          problems={problems}
          overridden={overridden}
          onReset={reset}
        />
      );
  }
}
