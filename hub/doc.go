// Package hub is the reference implementation of the central interconnection
// API (liên thông) described by motcua/api's OpenAPI document: one bbolt file
// plus a folder of blobs, served over HTTP(S).
//
// It authenticates agencies (and, v1.1, the province portal) by bearer key, validates every request against the
// OpenAPI document and by strict decoding, keeps transfers, their events and
// idempotency records in one bbolt transaction per write (so a 2xx answer is
// fsync'd together with its events), and wakes long-polling inboxes as soon as
// an event for their agency commits.
//
// It must not import package app or any desktop code: it shares only the wire
// types of package api.
//
// # Caveats and limitations
//
//   - One process per data folder: bbolt holds an exclusive file lock, so the
//     serving hub runs the administration commands itself, received on the
//     Unix socket DATA/admin.sock (admin.go); the command line opens the folder
//     directly only when no hub answers there. In-process callers (tests) use
//     the Hub methods on the open hub.
//   - Limits (limits.go, blobgc.go): JSON nesting ≤ 32 and valid UTF-8 are
//     checked on the raw bytes before any parser; body read deadlines; a
//     bounded number of connections (LimitListener); Shutdown closes what is
//     still open after the grace period; a blob quota per agency; blobs no
//     transfer or submission references are deleted 7 days after upload.
//   - v1.1 (portal.go, submissions.go, public.go): portal keys, online
//     submissions and decisions, public status and the /tra-cuu page.
//   - A single writer: all writes are serialised by bbolt; reads run in parallel.
//   - Keys: issuing a key never invalidates older ones; revoking revokes every
//     key of the agency (issue a fresh one afterwards).
//   - Only successful (2xx) responses are remembered for idempotent replay, for
//     eight days; a request that failed is executed again on retry.
//   - Events are pruned after 30 days (RunMaintenance); a cursor pointing before
//     the pruned range answers 410 cursor-expired.
package hub
