/**
 * The inspector: the selected node's doc, label and params, with fields generated from its zod schema
 * (numbers, selects for enums and literals, checkboxes, JSON for lists and unions), validation messages
 * inline, and reset to defaults.
 */
import { useMemo, useRef, useState } from 'react';
import { z } from 'zod';
import { describeRecord } from '../editor/data-files';
import type { DataFileRecord } from '../graph/data-file';
import type { GraphNode } from '../graph/document';
import type { AnyNodeDefinition } from '../graph/node-definition';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  /** Set by a param's `.meta({ widget })`: 'data-file' is Import data's recorded file. */
  widget?: string;
};

interface Field {
  name: string;
  kind: 'number' | 'integer' | 'boolean' | 'choice' | 'text' | 'json' | 'data-file';
  options?: unknown[];
  min?: number;
  max?: number;
}

function fieldOf(name: string, schema: JsonSchema): Field {
  if (schema.widget === 'data-file') return { name, kind: 'data-file' };
  const literals = schema.anyOf?.every((s) => 'const' in s) ? schema.anyOf.map((s) => s.const) : schema.enum;
  if (literals) return { name, kind: 'choice', options: literals };
  if (schema.type === 'boolean') return { name, kind: 'boolean' };
  if (schema.type === 'integer' || schema.type === 'number') {
    return { name, kind: schema.type, min: schema.minimum, max: schema.maximum };
  }
  if (schema.type === 'string') return { name, kind: 'text' };
  return { name, kind: 'json' };
}

export function fieldsOf(definition: AnyNodeDefinition): Field[] {
  let schema: JsonSchema;
  try {
    schema = z.toJSONSchema(definition.params, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  } catch {
    return [];
  }
  return Object.entries(schema.properties ?? {}).map(([name, s]) => fieldOf(name, s));
}

function ParamField({
  field,
  value,
  error,
  onCommit,
  onGestureEnd,
}: {
  field: Field;
  value: unknown;
  error?: string;
  onCommit: (value: unknown, gesture?: string) => void;
  onGestureEnd: () => void;
}) {
  const shown = value === undefined ? '' : field.kind === 'json' ? JSON.stringify(value) : String(value);
  const [text, setText] = useState(shown);
  // A value changed from outside (undo, reset, the slider's own commit) replaces what the field shows.
  const [lastShown, setLastShown] = useState(shown);
  if (shown !== lastShown) {
    setLastShown(shown);
    setText(shown);
  }
  const slideTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const pending = useRef<number | undefined>(undefined);
  /** The drag is over: its last value is committed now, and the next edit is an undo step of its own. */
  const endSlide = () => {
    clearTimeout(slideTimer.current);
    if (pending.current !== undefined) onCommit(pending.current, 'slider');
    pending.current = undefined;
    onGestureEnd();
  };
  const commitText = () => {
    if (text === shown) return;
    if (field.kind === 'number' || field.kind === 'integer') onCommit(text.trim() === '' ? undefined : Number(text));
    else if (field.kind === 'json') {
      try {
        onCommit(text.trim() === '' ? undefined : JSON.parse(text));
      } catch {
        onCommit(text); // the schema check names the problem
      }
    } else onCommit(text);
  };
  let input;
  if (field.kind === 'boolean') {
    input = (
      <input
        type="checkbox"
        checked={value === true}
        onChange={(e) => onCommit(e.target.checked)}
        aria-label={field.name}
      />
    );
  } else if (field.kind === 'choice') {
    input = (
      <select
        aria-label={field.name}
        value={JSON.stringify(value)}
        onChange={(e) => onCommit(JSON.parse(e.target.value))}
      >
        {field.options!.map((option) => (
          <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        aria-label={field.name}
        type={field.kind === 'number' || field.kind === 'integer' ? 'number' : 'text'}
        step={field.kind === 'integer' ? 1 : 'any'}
        min={field.min}
        max={field.max}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commitText}
        onKeyDown={(e) => e.key === 'Enter' && commitText()}
      />
    );
    const ranged = field.min !== undefined && field.max !== undefined && field.max - field.min <= 10_000;
    if ((field.kind === 'number' || field.kind === 'integer') && ranged) {
      input = (
        <span className="slider">
          <input
            type="range"
            aria-label={`${field.name} slider`}
            min={field.min}
            max={field.max}
            step={field.kind === 'integer' ? 1 : (field.max! - field.min!) / 200}
            value={Number(text) || 0}
            onChange={(e) => {
              setText(e.target.value);
              // while dragging, commit at most every 250 ms: the engine cancels the runs made stale; the
              // commits of one drag join one undo step
              clearTimeout(slideTimer.current);
              const value = Number(e.target.value);
              pending.current = value;
              slideTimer.current = setTimeout(() => {
                pending.current = undefined;
                onCommit(value, 'slider');
              }, 250);
            }}
            onPointerUp={endSlide}
            onKeyUp={endSlide}
          />
          {input}
        </span>
      );
    }
  }
  return (
    <label className={`field${error ? ' invalid' : ''}`}>
      <span className="field-name">{field.name}</span>
      {input}
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

/** A recorded data file (Import data): what it holds, and a button to choose another. */
function DataFileField({
  name,
  value,
  onChoose,
}: {
  name: string;
  value: unknown;
  onChoose?: (files: File[]) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const record = value as DataFileRecord | undefined;
  return (
    <div className="field data-file">
      <span className="field-name">{name}</span>
      {record ? (
        <span className="file-record" title={`${record.name}, ${record.bytes} bytes, SHA-256 ${record.sha256}`}>
          <strong>{record.name}</strong> · {describeRecord(record)}
        </span>
      ) : (
        <span className="muted">no file yet: drop a .npy or .npz on the canvas, or choose one</span>
      )}
      {onChoose && (
        <>
          <button onClick={() => input.current?.click()}>{record ? 'Choose another file…' : 'Choose file…'}</button>
          <input
            ref={input}
            type="file"
            accept=".npy,.npz"
            multiple
            hidden
            aria-label={`${name}: choose a .npy (with its .T.npy) or .npz`}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              if (files.length) onChoose(files);
              e.target.value = '';
            }}
          />
        </>
      )}
    </div>
  );
}

/**
 * The inspector's errors after a commit of field `name`: a rejected value keeps its error (and stays on
 * screen) until that field gets a valid value, whatever other fields are edited in between. Errors that
 * belong to no field go under ''.
 */
export function fieldErrorsAfter(
  current: Readonly<Record<string, string>>,
  name: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const { [name]: _previous, '': _whole, ...others } = current;
  if (!issues.length) return others;
  const mine = issues.find((issue) => String(issue.path[0] ?? name) === name);
  return mine ? { ...others, [name]: mine.message } : { ...others, '': issues[0].message };
}

export function Inspector({
  node,
  definition,
  onParams,
  onGestureEnd,
  onLabel,
  onChooseFiles,
}: {
  node: GraphNode | undefined;
  definition: AnyNodeDefinition | undefined;
  /** Returns why the edit was refused, if it was. */
  onParams: (params: Record<string, unknown>, gesture?: string) => readonly string[] | void;
  onGestureEnd: () => void;
  onLabel: (label: string) => void;
  /** Files chosen for a data-file param (Import data's `file`). */
  onChooseFiles?: (files: File[]) => void;
}) {
  const fields = useMemo(() => (definition ? fieldsOf(definition) : []), [definition]);
  // The inspector is re-created (key) for another node or label, which resets these.
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [label, setLabel] = useState(node?.label ?? '');
  if (!node) return <aside className="inspector muted">Select a node to see and edit its params.</aside>;
  if (!definition) {
    return (
      <aside className="inspector">
        <h2>{node.type}</h2>
        <p>This node type is unknown to this version of Blockspin. It is kept unchanged in the file and not run.</p>
      </aside>
    );
  }
  const commit = (name: string, value: unknown, gesture?: string) => {
    const candidate = { ...node.params, [name]: value };
    if (value === undefined) delete candidate[name];
    const parsed = definition.params.safeParse(candidate);
    // Params that fit the schema can still be refused by the editor (a graph over its memory budget).
    const refused = parsed.success ? (onParams(parsed.data as Record<string, unknown>, gesture) ?? []) : [];
    const issues = parsed.success ? refused.map((message) => ({ path: [name], message })) : parsed.error.issues;
    setErrors((current) => fieldErrorsAfter(current, name, issues));
  };
  return (
    <aside className="inspector" aria-label="Inspector">
      <h2>{definition.title}</h2>
      <p className="muted">{definition.doc}</p>
      <label className="field">
        <span className="field-name">label</span>
        <input
          aria-label="label"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          onBlur={() => label !== (node.label ?? '') && onLabel(label)}
          onKeyDown={(e) => e.key === 'Enter' && label !== (node.label ?? '') && onLabel(label)}
        />
      </label>
      {fields.map((field) =>
        field.kind === 'data-file' ? (
          <DataFileField key={field.name} name={field.name} value={node.params[field.name]} onChoose={onChooseFiles} />
        ) : (
          <ParamField
            key={field.name}
            field={field}
            value={node.params[field.name]}
            error={errors[field.name]}
            onCommit={(v, gesture) => commit(field.name, v, gesture)}
            onGestureEnd={onGestureEnd}
          />
        ),
      )}
      {errors[''] && <p className="field-error">{errors['']}</p>}
      <button onClick={() => onParams(definition.params.parse({}) as Record<string, unknown>)}>
        Reset to defaults
      </button>
      <p className="muted small">
        {node.type} · id {node.id}
      </p>
    </aside>
  );
}
