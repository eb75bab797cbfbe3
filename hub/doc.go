// Package hub is the reference implementation of the central interconnection
// API (liên thông) described by motcua/api's OpenAPI document: one bbolt file
// plus a folder of blobs, served over HTTP(S).
//
// It authenticates agencies by bearer key, validates every request against the
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
//     administration commands (agency add, key issue, key revoke) run while the
//     hub is stopped; they fail after two seconds with a clear message otherwise.
//     In-process callers (tests) use the Hub methods on the open hub instead.
//   - A single writer: all writes are serialised by bbolt; reads run in parallel.
//   - Keys: issuing a key never invalidates older ones; revoking revokes every
//     key of the agency (issue a fresh one afterwards).
//   - Only successful (2xx) responses are remembered for idempotent replay, for
//     eight days; a request that failed is executed again on retry.
//   - Events are pruned after 30 days (RunMaintenance); a cursor pointing before
//     the pruned range answers 410 cursor-expired.
package hub
