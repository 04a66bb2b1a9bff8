/** The sentence shown when the canvas refuses a connection: an i18n key and its values. */
import type { ConnectionRefusal } from '../document/connections.ts';

export function refusalMessage(refusal: ConnectionRefusal): { key: string; values: Record<string, string> } {
  switch (refusal.code) {
    case 'self':
      return { key: 'connect.self', values: {} };
    case 'unknown-port':
      return { key: 'connect.unknownPort', values: { node: refusal.nodeId, port: refusal.port } };
    case 'kind-mismatch':
      return { key: 'connect.kindMismatch', values: { from: refusal.sourceKind, to: refusal.targetKind } };
    case 'input-taken':
      return { key: 'connect.inputTaken', values: { node: refusal.nodeId, port: refusal.port, source: refusal.existingSource } };
    case 'cycle':
      return { key: 'connect.cycle', values: { source: refusal.source, target: refusal.target } };
  }
}
