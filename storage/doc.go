// Package storage keeps the office's data in one bbolt file: it implements
// app.Store (dossiers, their append-only history, the secondary indexes every
// list screen reads, the catalogue, users, settings, the audit log, the outbox
// and the inbox of the central API), schema migrations and backups.
//
// It holds no business rule: it never computes a due date, a status or a fee,
// and it never decides whether a transition is allowed. It only enforces the
// storage rules the app relies on (unique codes, optimistic versions, history
// and audit chains that only grow) and keeps indexes in step with the records.
// Nothing else in the program opens the bbolt file.
//
// # Layout
//
// Records are JSON (encoding/json). A dossier is stored without its history
// in "dossiers" (code → JSON), its list row in "summaries" (code → a small
// binary head with what list filters test, then the JSON of
// app.DossierSummary plus version and folded name: see row.go), and its
// history entries in "history" (code, 0x00, big-endian seq → JSON). Secondary indexes are buckets
// of keys with empty values; every key ends with a sort key (8-byte big-endian
// time) followed by the dossier code, so that a page is a cursor walk:
//
//	idx_state    state 0x00 received code
//	idx_received received code
//	idx_due      due code                 (open dossiers only; no due sorts last)
//	idx_proc     procedure 0x00 received code
//	idx_id       ID number 0x00 received code (upper case)
//	idx_phone    phone 0x00 received code     (NormalizePhone, +84 → 0)
//	idx_name     word 0x00 received code      (app.Words of the applicant's name)
//
// Counters (dossiers per state and per procedure, outbox pending/parked) and
// the number of dossiers containing each name word are kept in the same
// transaction as the records, so counting is O(states) and the query planner
// can pick the most selective index.
//
// Tamper evidence (integrity.go, docs/integrity.md): "chain_days" (day, code →
// the code's last history hash of that day) is written with every history
// entry; "digests" (YYYY-MM-DD → app.DailyDigest) holds the sealed daily
// digests. Tamper (tamper.go) edits raw records for the tests.
//
// ListDossiers (query.go) documents which index answers which query and
// what each costs. Measured on 2 cores (10,000 / 100,000 generated
// dossiers): see bench_test.go and the numbers in the commit history.
//
// # Caveats
//
//   - Single writer. bbolt allows one read-write transaction at a time; Update
//     calls from several goroutines are serialised and each one fsyncs. Keep
//     transactions short and never wait on the network or the user inside one.
//   - File lock. The file is locked while open: a second program (or a second
//     copy of this one) fails within a second with an app.KindLocked error.
//     The lock is advisory (flock on Unix, LockFileEx on Windows); do not keep
//     the file on a network share.
//   - The whole file is memory-mapped; it grows in steps and never shrinks by
//     itself. A backup (Tx.WriteTo) is compact only in the sense that it copies
//     the pages in use.
//   - Values returned by the store are decoded copies; mutating them changes
//     nothing until they are written back with the right Version.
//   - ForEachHistory and VerifyBackupFile read the whole file: they are for the
//     explicit integrity check and the backup screen, never for a list.
//   - Restore works on a closed database only; it refuses (KindLocked) while
//     the file is open anywhere.
//   - Values are about 2 KB of JSON per dossier (zero times are written out),
//     so the file holds ~5 KB per dossier with its indexes: about 550 MB for
//     100,000 dossiers.
package storage
