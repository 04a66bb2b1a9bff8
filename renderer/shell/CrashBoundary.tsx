/** If a panel throws while rendering, say so instead of showing a blank window; autosave keeps the work. */
import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import i18next from 'i18next';

export class CrashBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Pipewright crashed while rendering', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="crash" role="alert">
        <h1>{i18next.t('crash.title')}</h1>
        <p>{i18next.t('crash.body')}</p>
        <pre>{this.state.error.message}</pre>
        <button type="button" className="button primary" onClick={() => window.location.reload()}>
          {i18next.t('crash.reload')}
        </button>
      </div>
    );
  }
}
