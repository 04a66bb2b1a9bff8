/**
 * One component and one executor per distinct definition, shared by every task that uses it, as the KFP
 * SDK compiles a component called twice. Named after the step type (`comp-cpt`, `exec-cpt`), the second
 * variant of a type `-2` and so on, in the order tasks first use them, so names are stable and readable.
 */
import type { YamlMap } from './yaml.ts';

export interface ComponentDefinition {
  /** The component, its `executorLabel` still to be set. */
  component: YamlMap;
  executor: YamlMap;
  /** The executor's `platforms.kubernetes` config, when it needs one. */
  platform?: YamlMap;
}

export class ComponentTable {
  readonly components: YamlMap = {};
  readonly executors: YamlMap = {};
  readonly platformExecutors: YamlMap = {};
  private readonly byKey = new Map<string, string>();
  private readonly taken = new Set<string>();
  private readonly nextIndex = new Map<string, number>();

  /**
   * The component name for the definition `key` stands for (it must tell every two different definitions
   * apart); `build` makes the definition for the first task with that key only.
   */
  add(base: string, key: string, build: () => ComponentDefinition): string {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const definition = build();
    const name = this.freeName(base);
    this.byKey.set(key, `comp-${name}`);
    this.components[`comp-${name}`] = { ...definition.component, executorLabel: `exec-${name}` };
    this.executors[`exec-${name}`] = definition.executor;
    if (definition.platform) this.platformExecutors[`exec-${name}`] = definition.platform;
    return `comp-${name}`;
  }

  private freeName(base: string): string {
    let index = this.nextIndex.get(base) ?? 1;
    let name = index === 1 ? base : `${base}-${index}`;
    while (this.taken.has(name)) name = `${base}-${++index}`;
    this.nextIndex.set(base, index + 1);
    this.taken.add(name);
    return name;
  }
}
