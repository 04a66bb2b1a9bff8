/** Monaco arrives after the canvas: until then (or if it fails) the text shows as plain, read-only code. */
import { Component, lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import type { MonacoViewProps } from './MonacoView.tsx';

const MonacoView = lazy(() => import('./MonacoView.tsx'));

function PlainCode({ value, ariaLabel }: { value: string; ariaLabel: string }) {
  return (
    <pre className="code-fallback" aria-label={ariaLabel} tabIndex={0}>
      {value}
    </pre>
  );
}

class FallbackOnError extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export function LazyMonaco(props: MonacoViewProps) {
  const fallback = <PlainCode value={props.value} ariaLabel={props.ariaLabel} />;
  return (
    <div className="monaco-host" data-language={props.language}>
      <FallbackOnError fallback={fallback}>
        <Suspense fallback={fallback}>
          <MonacoView {...props} />
        </Suspense>
      </FallbackOnError>
    </div>
  );
}
