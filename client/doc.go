// Package client speaks the central interconnection API (liên thông,
// central-api.md) for one office: the outbox sender that drains the calls the
// use cases queued, the inbox poller that applies the hub's events, the blob
// store of attachments, and the agency directory.
//
// It keeps the desktop's promises of the contract: every call leaves from the
// outbox with its idempotency key; transport errors, 408, 429, 5xx are retried
// with exponential backoff and jitter (Retry-After honoured); any other 4xx
// parks the item with the hub's problem for a person to see; each dossier is
// its own queue, so a stuck item never blocks the others; events are applied
// and the cursor advanced in one store transaction; blobs are verified by
// SHA-256 after download.
//
// It must not hold business rules: what a transfer or an event means is
// decided by package app (Service.Transfer, Service.ApplyEvent…). It never
// logs the hub key or personal ID numbers.
package client
