// The API of `jindu`. Every request, answer and error type comes from
// ./types.js, generated at build time from the JSON Schemas that the Rust core
// exports from its own types (spec/schema/); only the function signatures and
// the small generic wrappers below are written here.
import type {
  AssessAnswer,
  AssessRequest,
  Call,
  CatalogueEntry,
  ConsequencesAnswer,
  ConsequencesRequest,
  Date as IsoDate,
  DutiesAnswer,
  DutiesRequest,
  FieldError,
  ListAnswer,
  ListRequest,
  RankAnswer,
  RankRequest,
  Receipt,
  ReviewAnswer,
  ReviewRequest,
  RulebookFile,
  RulebookInfo,
  TimelineAnswer,
  TimelineRequest,
  Validation,
} from './types.js';

export type * from './types.js';

/** The operations that answer (`list`, `review`, `consequences`, `timeline`, `assess`, `rank`, `duties`). */
export type Operation = Call['operation'];

/** The request of each operation. */
export interface RequestOf {
  list: ListRequest;
  review: ReviewRequest;
  consequences: ConsequencesRequest;
  timeline: TimelineRequest;
  assess: AssessRequest;
  rank: RankRequest;
  duties: DutiesRequest;
}

/** The answer body of each operation. */
export interface AnswerOf {
  list: ListAnswer;
  review: ReviewAnswer;
  consequences: ConsequencesAnswer;
  timeline: TimelineAnswer;
  assess: AssessAnswer;
  rank: RankAnswer;
  duties: DutiesAnswer;
}

/** What every answer carries besides its body. */
export interface AnswerHead {
  operation: Operation;
  rulebook: RulebookInfo;
  /** What the answer was decided under (left out when the call says `receipt: false`: see `HeadOf`). */
  receipt: Receipt;
}

/**
 * The head of an answer to a call with options `O`: without its receipt when
 * `O` says `receipt: false`, perhaps without when `O`'s `receipt` is any
 * `boolean`, with it otherwise (pass `receipt: false` as a literal for the
 * type to know).
 */
export type HeadOf<O> = O extends { receipt: false }
  ? Omit<AnswerHead, 'receipt'> & { receipt?: undefined }
  : O extends { receipt: true }
    ? AnswerHead
    : O extends { receipt: boolean }
      ? Omit<AnswerHead, 'receipt'> & { receipt?: Receipt }
      : AnswerHead;

/** A response: `{ok: true, answer}` or `{ok: false, errors}` (every error at once). */
export type Result<A> = { ok: true; answer: A } | { ok: false; errors: FieldError[] };

/** The rulebook selection and options of a call. */
export interface CallOptions {
  /** A rulebook id (`hengyang-county-2018-rectification`); or give `jurisdiction`. */
  rulebook?: string;
  /** A jurisdiction key, to select the rulebook in force. */
  jurisdiction?: string;
  /** The date that selects the rulebook; the request's own date when absent. */
  as_of?: IsoDate;
  /** Build the explanation trail (default true). */
  explain?: boolean;
  /**
   * Give the answer its receipt (default true). `false` skips hashing the
   * request: for a form's intermediate answers, which are shown, not kept.
   */
  receipt?: boolean;
}

/** A `validate` call: checks a request for `target` without answering it. */
export interface ValidateCall extends CallOptions {
  operation: 'validate';
  target: Operation;
  /** The request as the form holds it so far; anything goes, errors say what is wrong. */
  request: unknown;
}

/** A built-in rulebook, described (`rulebooks()`). */
export type RulebookSummary = Pick<RulebookFile, 'id' | 'title' | 'document' | 'issuer' | 'jurisdiction' | 'in_force' | 'tiers'> & {
  /** SHA-256 of the rulebook's canonical JSON (as in receipts). */
  hash: string;
};

/**
 * Loads the module; call once first. Browsers and bundlers: fetches the .wasm
 * next to the package's index.mjs, or `input` (a URL, fetch Response, bytes or
 * WebAssembly.Module: typed `unknown` so that no DOM types are needed). Node:
 * already loaded, resolves at once.
 */
export function init(input?: unknown): Promise<void>;
/** Loads the module synchronously from its bytes or a WebAssembly.Module (Node: a no-op). */
export function initSync(module: unknown): void;
/** Whether the module is loaded. */
export function isReady(): boolean;

/** One call of the JSON layer. */
export function call<C extends Call>(call: C): Result<AnswerOf[C['operation']] & HeadOf<C>>;
export function call(call: ValidateCall): Result<Validation>;
export function call(call: unknown): Result<unknown>;
/** One call as JSON text, response as JSON text: the core's `call_json`, unchanged (the fastest path). */
export function callJson(text: string): string;

/** `list`: whether and at which tier an area is listed (第十条、第十一条). */
export function list<O extends CallOptions = CallOptions>(request: ListRequest, options?: O): Result<ListAnswer & HeadOf<O>>;
/** `review`: a listing reviewed on a date, with any application (extend, lower, cancel). */
export function review<O extends CallOptions = CallOptions>(request: ReviewRequest, options?: O): Result<ReviewAnswer & HeadOf<O>>;
/** `consequences`: the measures that follow from a listing on a date. */
export function consequences<O extends CallOptions = CallOptions>(request: ConsequencesRequest, options?: O): Result<ConsequencesAnswer & HeadOf<O>>;
/** `timeline`: a listing and its reviews in date order. */
export function timeline<O extends CallOptions = CallOptions>(request: TimelineRequest, options?: O): Result<TimelineAnswer & HeadOf<O>>;
/** `assess`: an indicator return assessed under the rulebook (scores, vetoes, bands, outcome). */
export function assess<O extends CallOptions = CallOptions>(request: AssessRequest, options?: O): Result<AssessAnswer & HeadOf<O>>;
/** `rank`: areas ranked under one of the rulebook's rankings. */
export function rank<O extends CallOptions = CallOptions>(request: RankRequest, options?: O): Result<RankAnswer & HeadOf<O>>;
/** `duties`: the standing duties of the rulebook on a day, and when each was last done. */
export function duties<O extends CallOptions = CallOptions>(request: DutiesRequest, options?: O): Result<DutiesAnswer & HeadOf<O>>;
/**
 * Checks a request for `operation` without answering it: every field error
 * (code, path, zh/en message) and, for a request valid so far, the paths of
 * the fields still needed for an answer (`missing`).
 */
export function validate(operation: Operation, request: unknown, options?: CallOptions): Validation;

/** The built-in rulebooks. */
export function rulebooks(): RulebookSummary[];
/** A built-in rulebook's full file (conditions, sub-points, rule texts…), or undefined. */
export function rulebook(id: string): RulebookFile | undefined;
/** The citation in words of each rule of a built-in rulebook, by rule id, or undefined. */
export function citations(id: string): Record<string, string> | undefined;
/** Every error code with its meaning in Chinese and English. */
export function errorCatalogue(): CatalogueEntry[];
/** The library version written in receipts. */
export function version(): string;
