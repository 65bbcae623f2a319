/**
 * The nbformat 4.5 shapes the runner reads and writes. Only the fields the
 * runner touches are typed; everything else is carried through untouched so
 * a notebook round-trips (attachments, widget state, extension metadata).
 */
export type MultilineString = string | string[];

export interface StreamOutput { output_type: 'stream'; name: 'stdout' | 'stderr'; text: MultilineString }
export interface DisplayDataOutput { output_type: 'display_data'; data: Record<string, unknown>; metadata: Record<string, unknown> }
export interface ExecuteResultOutput {
  output_type: 'execute_result'; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null;
}
export interface ErrorOutput { output_type: 'error'; ename: string; evalue: string; traceback: string[] }
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/** papermill's per-cell record. */
export interface CellPapermill {
  status: 'pending' | 'running' | 'completed' | 'failed';
  start_time: string | null;
  end_time: string | null;
  duration: number | null;
  exception: boolean | null;
}

export interface CellMetadata {
  tags?: string[];
  papermill?: CellPapermill;
  execution?: Record<string, string>;
  jupyter?: { source_hidden?: boolean; outputs_hidden?: boolean; [k: string]: unknown };
  [k: string]: unknown;
}

interface CellBase { id: string; source: MultilineString; metadata: CellMetadata; [k: string]: unknown }
export interface CodeCell extends CellBase { cell_type: 'code'; outputs: Output[]; execution_count: number | null }
export interface MarkdownCell extends CellBase { cell_type: 'markdown' }
export interface RawCell extends CellBase { cell_type: 'raw' }
export type Cell = CodeCell | MarkdownCell | RawCell;

export interface NotebookPapermill {
  default_parameters: Record<string, unknown>;
  parameters: Record<string, unknown>;
  environment_variables: Record<string, string>;
  version: string;
  input_path?: string | null;
  output_path?: string | null;
  start_time?: string | null;
  end_time?: string | null;
  duration?: number | null;
  exception?: boolean | null;
  [k: string]: unknown;
}

export interface NotebookMetadata {
  kernelspec?: { name: string; display_name?: string; language?: string; [k: string]: unknown };
  language_info?: { name: string; [k: string]: unknown };
  papermill?: NotebookPapermill;
  [k: string]: unknown;
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: NotebookMetadata;
  cells: Cell[];
}
