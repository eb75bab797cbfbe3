package app

import (
	"encoding/json"
	"time"
)

// Clock gives the current time; tests pass a fixed one.
type Clock interface{ Now() time.Time }

// SystemClock is the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock always answers T (tests, benchmarks, demo data).
type FixedClock struct{ T time.Time }

func (c *FixedClock) Now() time.Time          { return c.T }
func (c *FixedClock) Advance(d time.Duration) { c.T = c.T.Add(d) }

// Store is the persistence the use cases need; storage.DB implements it on
// bbolt. Every Update is one atomic, durable (fsync'd) transaction: a use case
// either writes the dossier, its history entry, its indexes and its outbox
// item together, or nothing.
type Store interface {
	Update(fn func(Tx) error) error
	View(fn func(Tx) error) error
}

// Tx is one transaction. Methods return *Error of KindNotFound for a missing
// record and KindConflict for a broken rule (duplicate code, stale version,
// history that does not chain).
type Tx interface {
	// Office
	Agency() (*Agency, error)
	PutAgency(a *Agency) error
	Settings() (Settings, error) // DefaultSettings() until saved
	PutSettings(s Settings) error

	// Users
	User(username string) (*User, error)
	PutUser(u *User) error
	Users() ([]User, error)

	// Procedure catalogue (hundreds of entries at most)
	Procedure(code string) (*Procedure, error)
	PutProcedure(p *Procedure) error
	DeleteProcedure(code string) error
	Procedures() ([]Procedure, error) // ordered by code

	// Office calendar overrides
	CalendarEntries() ([]CalendarEntry, error) // all years, ordered by date
	PutCalendarEntry(e CalendarEntry) error
	DeleteCalendarEntry(date string) error

	// NextSeq increments the named counter and returns its new value (first call → 1).
	NextSeq(name string) (int, error)

	// Dossiers
	Dossier(code string) (*Dossier, error) // History loaded
	// PutDossier inserts (d.Version == 1, code unused) or replaces (stored
	// version == d.Version-1) a dossier and keeps every index in step. It does
	// not write history: see AppendHistory.
	PutDossier(d *Dossier) error
	// AppendHistory adds the next entry of a dossier's chain; e.Seq must be
	// last+1 and e.PrevHash the last entry's Hash. Entries are never changed.
	AppendHistory(code string, e HistoryEntry) error
	History(code string) ([]HistoryEntry, error)
	ListDossiers(q Query) (Page, error)
	CountByState() (map[State]int, error) // precomputed counters, O(states)

	// Intake guidance (nothing received)
	PutGuidance(g *IntakeGuidance) error
	Guidance(id string) (*IntakeGuidance, error)
	Guidances() ([]IntakeGuidance, error) // all, ordered by ID (agency, day, number)

	// Administration log: a hash chain like a dossier's history.
	AppendAudit(e AuditEntry) error
	// Audit returns up to limit entries with Seq > after, in order; with
	// after < 0 it returns the LAST limit entries (after = -1, limit = 1: the tail).
	Audit(after, limit int) ([]AuditEntry, error)

	// Outbox of calls to the central API, written with the local change.
	Enqueue(item *OutboxItem) error                // assigns nothing: ID, Queue, key set by the caller
	OutboxItem(id string) (*OutboxItem, error)     // NotFound once sent
	PutOutboxItem(item *OutboxItem) error          // update attempts, next attempt, parked state
	DeleteOutboxItem(id string) error              // sent: gone
	OutboxHeads(limit int) ([]OutboxItem, error)   // the first item of each queue, oldest queue first
	OutboxItems(limit int) ([]OutboxItem, error)   // every item, creation order (the screen of pending items)
	OutboxCount() (pending, parked int, err error) // counters, O(1)

	// Scans (bản chụp): the files attached to dossiers and transfers, by the
	// hex SHA-256 of their content. Kept in the store so that a backup, an
	// export and every desk of a shared store carry them.
	PutScan(sha string, data []byte) error // idempotent: an existing scan stays
	Scan(sha string) ([]byte, error)       // NotFound when absent
	HasScan(sha string) (bool, error)

	// Inbox from the central API: cursor, seen events and incoming transfers.
	InboxCursor() (string, error)
	SetInboxCursor(c string) error
	SeenEvent(id string) (bool, error)
	MarkEvent(id string) error
	PutIncoming(t *IncomingTransfer) error
	Incoming(id string) (*IncomingTransfer, error)
	ListIncoming(pendingOnly bool) ([]IncomingTransfer, error) // newest first

	// Online submissions from the province portal (hồ sơ trực tuyến).
	PutSubmission(s *OnlineSubmission) error                      // insert or replace
	Submission(id string) (*OnlineSubmission, error)              // NotFound when absent
	ListSubmissions(pendingOnly bool) ([]OnlineSubmission, error) // oldest submission first
}

// IncomingTransfer is a dossier another agency handed to this one (hồ sơ liên
// thông đến), waiting to be accepted or refused.
type IncomingTransfer struct {
	ID         string          `json:"id"`
	GroupID    string          `json:"group_id,omitempty"`
	Purpose    TransferPurpose `json:"purpose"`
	Follows    string          `json:"follows,omitempty"` // supplement, result: the transfer it belongs to
	FromAgency string          `json:"from_agency"`
	FromName   string          `json:"from_name,omitempty"`
	Version    int             `json:"version"`
	State      TransferState   `json:"state"`
	Dossier    Dossier         `json:"dossier"` // the sender's snapshot (its code is the sender's code)
	Note       string          `json:"note,omitempty"`
	ArrivedAt  time.Time       `json:"arrived_at"`
	DecidedAt  time.Time       `json:"decided_at,omitzero"`
	DecidedBy  UserRef         `json:"decided_by,omitempty"`
	Reason     string          `json:"reason,omitempty"`     // when refused
	LocalCode  string          `json:"local_code,omitempty"` // the dossier created here when accepted
}

// SortKey orders a dossier list.
type SortKey int

const (
	SortReceivedDesc SortKey = iota // newest first (default)
	SortDueAsc                      // soonest appointment first (open dossiers)
)

// Query selects a page of dossiers. Every combination is answered from an
// index: none scans all dossiers.
type Query struct {
	States        []State   // any of these; empty = any state
	OpenOnly      bool      // only dossiers with a running clock
	ProcedureCode string    // exact
	From, To      time.Time // receipt time in [From, To); zero = unbounded
	DueBefore     time.Time // open dossiers due before this instant (queues); implies SortDueAsc
	DueFrom       time.Time // open dossiers due at or after this instant (the due-soon queue); implies SortDueAsc
	Text          string    // dossier code (or prefix), ID number, phone, or name words without diacritics
	Sort          SortKey
	// Handler: only open dossiers whose current handler is this username
	// ("Hồ sơ của tôi"), newest received first, from the handler index.
	// Text and Sort are ignored with it; the other filters apply.
	Handler string
	After   string // cursor from the previous Page
	Limit   int    // default 50, at most 500
}

// Page is one page of a dossier list.
type Page struct {
	Items []DossierSummary
	Next  string // cursor for the following page, "" at the end
}

// DossierSummary is a row of a list: what a table shows without loading the
// whole dossier.
type DossierSummary struct {
	Code          string     `json:"code"`
	ProcedureCode string     `json:"procedure_code"`
	ProcedureName string     `json:"procedure_name"`
	ApplicantName string     `json:"applicant_name"`
	IDNumber      string     `json:"id_number,omitempty"`
	Phone         string     `json:"phone,omitempty"`
	Address       string     `json:"address,omitempty"`
	State         State      `json:"state"`
	Status        StatusCode `json:"status_code"`
	Channel       Channel    `json:"channel"`
	ReceivedAt    time.Time  `json:"received_at"`
	DueAt         time.Time  `json:"due_at,omitzero"`
	FinishedAt    time.Time  `json:"finished_at,omitzero"`
	Handler       string     `json:"handler,omitempty"`
}

// Row returns the list row of d.
func (d *Dossier) Row() DossierSummary {
	return DossierSummary{Code: d.Code, ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName,
		ApplicantName: d.Applicant.FullName, IDNumber: d.Applicant.IDNumber, Phone: d.Applicant.Phone,
		Address: d.Applicant.Address, State: d.State, Status: d.Status, Channel: d.Channel,
		ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, FinishedAt: d.FinishedAt, Handler: d.Handler.FullName}
}

// AuditEntry is one administrative action (users, settings, catalogue,
// calendar, backups), chained by hash like a dossier's history.
type AuditEntry struct {
	Seq      int       `json:"seq"`
	At       time.Time `json:"at"`
	User     UserRef   `json:"user"`
	Action   string    `json:"action"` // e.g. "user.create", "calendar.put", "backup.restore"
	Target   string    `json:"target"`
	Note     string    `json:"note,omitempty"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// OutboxKind names what an outbox item asks the central API to do.
type OutboxKind string

const (
	OutboxTransfer OutboxKind = "transfer.create" // POST /v1/transfers (after its blobs)
	OutboxStatus   OutboxKind = "transfer.status" // POST /v1/transfers/{id}/status
	OutboxAck      OutboxKind = "transfer.ack"    // POST /v1/transfers/{id}/ack
	OutboxRecall   OutboxKind = "transfer.recall" // POST /v1/transfers/{id}/recall
)

// OutboxItem is one durable call waiting for the central API. Items of one
// Queue (a dossier code) are sent in order; queues do not block each other.
type OutboxItem struct {
	ID             string          `json:"id"`    // sortable: creation order
	Queue          string          `json:"queue"` // dossier code
	Kind           OutboxKind      `json:"kind"`
	IdempotencyKey string          `json:"idempotency_key"`
	Payload        json.RawMessage `json:"payload"` // the intent; see TransferIntent, StatusIntent, AckIntent
	CreatedAt      time.Time       `json:"created_at"`
	Attempts       int             `json:"attempts"`
	NextAttempt    time.Time       `json:"next_attempt"`
	LastError      string          `json:"last_error,omitempty"`
	Parked         bool            `json:"parked"`            // a 4xx the hub will never accept: needs a person
	Problem        string          `json:"problem,omitempty"` // the hub's problem detail, shown to the user
}
