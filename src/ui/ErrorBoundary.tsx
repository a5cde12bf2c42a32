/** Keeps the page usable when a part of it fails to render: says what failed, offers a retry and the graph. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { download } from './download';

interface Props {
  /** What this boundary guards, for the message ("the canvas"). */
  what: string;
  /** The current graph file, offered for download from the error message. */
  graphText?: () => string;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`Blockspin: ${this.props.what} failed`, error, info.componentStack);
  }

  private download = () => {
    const text = this.props.graphText?.();
    if (text) download('recovered.blockspin.json', text);
  };

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="crashed" role="alert">
        <strong>{this.props.what} failed:</strong> <code>{error.message}</code>
        <p>The graph is kept (and autosaved as it was). You can try again, or download the graph.</p>
        <button onClick={() => this.setState({ error: null })}>Try again</button>
        {this.props.graphText && <button onClick={this.download}>Download the graph</button>}
      </div>
    );
  }
}
