/**
 * Tracked files (trackers/track_file.c): `track_file` and its old name `vrrp_track_file`.
 *
 * Generated from keepalived 2.2.7's parsers (ranges from the read_* calls in each handler) and checked
 * against newer releases; edit by hand, there is no generator in this repository.
 */
import type { KeywordTable } from './types.js';
import { int, oneOf, path, rest, word, table } from './args.js';

/** Keywords of a `track_file` block (track_file). */
export const TRACK_FILE_KEYWORDS: KeywordTable = table([
  { name: 'file', args: [path('file')], since: '2.1.0', doc: 'File to track (weight defaults to 1).' },
  {
    name: 'weight',
    args: [int('weight', -254, 254), oneOf('reverse', ['reverse'], { optional: true })],
    since: '2.1.0',
    doc: 'Optional default weight.',
  },
  {
    name: 'init_file',
    // keepalived reads every word: an integer (it starts with a digit or '-'), 'overwrite', or an
    // unknown option (track_file_init_handler); the model reads them (readInitFile).
    args: [rest('value and/or overwrite', { optional: true })],
    since: '2.1.0',
    doc: 'Create the file and/or initialise the value.',
  },
]);

/** Keywords of a `vrrp_track_file` block (vrrp_track_file). */
export const VRRP_TRACK_FILE_KEYWORDS: KeywordTable = table([
  { name: 'file', args: [path('file')], doc: 'File to track (weight defaults to 1).' },
  {
    name: 'weight',
    args: [int('weight', -254, 254), oneOf('reverse', ['reverse'], { optional: true })],
    doc: 'Optional default weight.',
  },
  {
    name: 'init_file',
    // keepalived reads every word: an integer (it starts with a digit or '-'), 'overwrite', or an
    // unknown option (track_file_init_handler); the model reads them (readInitFile).
    args: [rest('value and/or overwrite', { optional: true })],
    doc: 'Create the file and/or initialise the value.',
  },
]);

/** Root keywords defined in this file. */
export const TRACK_ROOT: KeywordTable = table([
  {
    name: 'track_file',
    args: [word('name')],
    block: 'keywords',
    children: TRACK_FILE_KEYWORDS,
    repeatable: true,
    since: '2.1.0',
    doc: 'A file whose integer content is tracked as a weight.',
  },
  {
    name: 'vrrp_track_file',
    args: [word('name')],
    block: 'keywords',
    children: VRRP_TRACK_FILE_KEYWORDS,
    repeatable: true,
    deprecated: { note: 'deprecated synonym after 2.0.20', replacement: 'track_file' },
    doc: 'Old name of track_file.',
  },
]);
