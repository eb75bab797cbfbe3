package app

import (
	"errors"
	"fmt"
	"time"
)

// Transfers (liên thông, domain.md §3 item 6). A transfer is written to the
// outbox in the same transaction as the local change; the client package
// sends it to the central hub and feeds the hub's events back through
// ApplyEvent. Nothing here speaks HTTP: the intents (transfer_outbox.go) are
// what the client turns into calls, and TransferEvent is what it hands back.
//
// The files: transfer.go is the vocabulary (states, purposes, event types and
// the shapes exchanged with the client); transfer_cases.go the officers' use
// cases (Transfer, Recall, AcceptIncoming, RefuseIncoming); transfer_outbox.go
// what is queued for the hub and how its answers are recorded;
// transfer_events.go how the hub's events change this office's records (one
// table of (our role, event type) → handler); transfer_resync.go how a
// snapshot fetched during a resync becomes the events that were missed.

// TransferPurpose says why a dossier goes to another agency. The values are
// the central API's (api.Purpose).
type TransferPurpose string

const (
	PurposeProcess    TransferPurpose = "process"    // the recipient processes the dossier or one step of it
	PurposeSupplement TransferPurpose = "supplement" // documents added to an earlier transfer of the group
	PurposeResult     TransferPurpose = "result"     // a result handed back
)

// Valid reports whether p is one of the purposes above.
func (p TransferPurpose) Valid() bool {
	switch p {
	case PurposeProcess, PurposeSupplement, PurposeResult:
		return true
	}
	return false
}

// TransferState is where a transfer stands: the hub's states (api.TransferState)
// plus TransferQueued, this office's own, before the hub answered.
type TransferState string

const (
	TransferQueued    TransferState = "queued" // local only: in the outbox
	TransferPending   TransferState = "pending"
	TransferAccepted  TransferState = "accepted"
	TransferRejected  TransferState = "rejected"
	TransferRecalled  TransferState = "recalled"
	TransferCompleted TransferState = "completed"
)

// Closed reports whether the transfer no longer carries the dossier (refused
// or withdrawn): the dossier may be transferred again.
func (st TransferState) Closed() bool { return st == TransferRejected || st == TransferRecalled }

// EventType is the type of an event of the hub's feed (api.EventType), plus
// EventSnapshot, this office's own, for a snapshot fetched during a resync.
type EventType string

const (
	EventReceived      EventType = "transfer.received"       // to the recipient
	EventAccepted      EventType = "transfer.accepted"       // to the sender
	EventRejected      EventType = "transfer.rejected"       // to the sender
	EventStatusChanged EventType = "transfer.status_changed" // to the other party
	EventRecalled      EventType = "transfer.recalled"       // to the recipient
	EventSnapshot      EventType = ""                        // local only: a snapshot from a resync
)

// TransferRole is this office's part in a transfer.
type TransferRole string

const (
	RoleSender    TransferRole = "sender"
	RoleRecipient TransferRole = "recipient"
)

// TransferInput is what the officer chooses when handing a dossier to another
// agency.
type TransferInput struct {
	ToAgency    string          // mã định danh of the recipient
	ToName      string          // its name, from the hub's directory
	Purpose     TransferPurpose // process (default), supplement, result
	Note        string
	GroupID     string              // shared by the transfers of a group procedure
	Attachments []SubmittedDocument // scans already in the store: SHA256 and Size set
	Scans       []ScanFile          // files chosen now: stored with the transfer
}

// Actor is the official who made a change, as the other agency sees them.
type Actor struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Unit  string `json:"unit,omitempty"`
}

// SupplementRequest is the recipient's request for more documents.
type SupplementRequest struct {
	Request  string    `json:"request"`
	Deadline time.Time `json:"deadline"`
}

// ResultFile is one result document of a transfer (status 9).
type ResultFile struct {
	Name   string `json:"name"`
	Kind   string `json:"kind,omitempty"`
	Number string `json:"number,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	Size   int64  `json:"size,omitempty"` // known locally, not on the wire
}

// TransferStatus is a national status change on a transfer: the body of a
// status call and the data of a status_changed event.
type TransferStatus struct {
	Status     StatusCode         `json:"status_code"`
	Note       string             `json:"note,omitempty"`
	Actor      Actor              `json:"actor"`
	OccurredAt time.Time          `json:"occurred_at"`
	NewDueAt   time.Time          `json:"new_due_at,omitzero"`
	Supplement *SupplementRequest `json:"supplement,omitempty"`
	Results    []ResultFile       `json:"results,omitempty"`
}

// TransferAck is the recipient's decision.
type TransferAck struct {
	Accepted  bool      `json:"accepted"`
	LocalCode string    `json:"local_code,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	At        time.Time `json:"at,omitzero"`
}

// TransferRecall is the sender's withdrawal of a pending transfer.
type TransferRecall struct {
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at,omitzero"`
}

// TransferSnapshot is the hub's authoritative view of a transfer.
type TransferSnapshot struct {
	ID         string          `json:"id"`
	GroupID    string          `json:"group_id,omitempty"`
	Purpose    TransferPurpose `json:"purpose"`
	Follows    string          `json:"follows,omitempty"` // supplement, result: the transfer it belongs to
	FromAgency string          `json:"from_agency"`
	ToAgency   string          `json:"to_agency"`
	State      TransferState   `json:"state"`
	Version    int             `json:"version"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	Dossier    Dossier         `json:"dossier"`        // the sender's dossier (its code is the sender's)
	Note       string          `json:"note,omitempty"` // the sender's note (the wire dossier's note)
	Ack        *TransferAck    `json:"ack,omitempty"`
	LastStatus *TransferStatus `json:"last_status,omitempty"`
	Recall     *TransferRecall `json:"recall,omitempty"`
}

// TransferEvent is one event of the hub's feed, converted by the client.
// Snapshot is set when the client fetched the transfer after a version gap,
// or alone (Type == EventSnapshot) during a resync.
type TransferEvent struct {
	ID          string
	Type        EventType
	OccurredAt  time.Time
	TransferID  string
	Version     int
	DossierCode string // the sender's code
	FromAgency  string
	ToAgency    string
	Transfer    *TransferSnapshot // with transfer.received
	Ack         *TransferAck      // with accepted / rejected
	Status      *TransferStatus   // with status_changed
	Recall      *TransferRecall   // with recalled
	Snapshot    *TransferSnapshot
	// FromName and ToName are the agencies' names from the hub's directory
	// (local only: the client fills them when it knows them).
	FromName, ToName string
}

// VersionGap is returned by ApplyEvent when an event skips versions the
// office has not seen: the client fetches the transfer's snapshot and calls
// ApplyEvent again with TransferEvent.Snapshot set.
type VersionGap struct {
	TransferID string
	Have, Got  int
}

func (g *VersionGap) Error() string {
	return fmt.Sprintf("transfer %s: have version %d, event is version %d", g.TransferID, g.Have, g.Got)
}

// IsVersionGap reports whether err asks for a snapshot.
func IsVersionGap(err error) bool {
	var g *VersionGap
	return errors.As(err, &g)
}
