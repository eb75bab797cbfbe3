package app

import (
	"context"
	"io"
	"time"
)

// The small ports the use cases need besides the Store and the Clock.
// Everything outside app implements them: storage (backups of a bbolt file),
// client (the central API), main (life-cycle).

// Progress reports how far a long file operation has come: done of total
// units (bytes or records; total 0 when unknown). It may be called from any
// goroutine.
type Progress func(done, total int64)

// report calls p when there is one.
func (p Progress) report(done, total int64) {
	if p != nil {
		p(done, total)
	}
}

// Backups writes and checks copies of the whole office: every dossier, user,
// setting, outbox item and scan. storage.DB implements it on bbolt.
type Backups interface {
	// WriteBackup writes a consistent copy of the office to path while it
	// stays in use, atomically (a crash leaves the old file or the new one).
	WriteBackup(path string, progress Progress) (size int64, err error)
	// BackupTo writes the same consistent copy to w (the sealed backups
	// encrypt it on the way).
	BackupTo(w io.Writer, progress Progress) (size int64, err error)
	// VerifyBackup reads the whole copy at path and fails (KindInvalid)
	// unless it is a complete office this program can open.
	VerifyBackup(path string, progress Progress) error
}

// Secrets keeps this computer's secrets out of the database, protected
// for the user account (package secrets): the hub key.
type Secrets interface {
	Secret(name string) (string, error) // "" when none is kept
	SetSecret(name, value string) error // "" removes it
}

// OutboxNotifier learns that use cases queued calls to the central API; it
// is told after the transaction that queued them has committed (the
// outbox sender of package client wakes up).
type OutboxNotifier interface{ OutboxQueued() }

// Leadership elects the one desk of an office that holds a role, such as
// talking to the central API: with several desks on one shared store,
// exactly one sends the outbox and polls the inbox at a time. Lead runs fn
// while this desk holds the role called name and waits (blocking) while
// another desk holds it; fn's context ends when the role is lost (the
// lease's connection is gone: another desk may take over) or ctx ends, and
// fn must return promptly then. wake receives when another desk called
// Wake(name) (it queued work for the leader). Lead returns when ctx ends.
// The PostgreSQL store implements it with a session advisory lock and
// LISTEN/NOTIFY; a store only one desk opens (bbolt) always leads
// (AlwaysLead).
type Leadership interface {
	Lead(ctx context.Context, name string, fn func(ctx context.Context, wake <-chan struct{}))
	Wake(name string)
}

// AlwaysLead is the Leadership of a store no other desk shares: this desk
// holds every role, at once and until ctx ends.
type AlwaysLead struct{}

// Lead runs fn(ctx, nil) and returns when ctx has ended.
func (AlwaysLead) Lead(ctx context.Context, _ string, fn func(ctx context.Context, wake <-chan struct{})) {
	if ctx.Err() == nil {
		fn(ctx, nil)
	}
	<-ctx.Done()
}

// Wake does nothing: there is no other desk.
func (AlwaysLead) Wake(string) {}

// SyncStatus is the state of the liên thông connection, for the status bar.
type SyncStatus struct {
	Configured bool      // a hub URL and key are set
	Running    bool      // the client runs (sending and polling, or standing by)
	Standby    bool      // another desk of the office holds the hub connection now
	Online     bool      // the last call reached the hub
	LastOK     time.Time // the last successful call
	LastError  string    // the last failure
	Pending    int       // outbox items waiting (including retries)
	Parked     int       // outbox items that need a person
}

// DirectoryEntry is an agency of the hub's directory (danh bạ cơ quan), a
// possible recipient of a transfer.
type DirectoryEntry struct {
	Code       string
	Name       string
	ParentCode string
	Level      string
	Active     bool
}

// Sync is the connection to the central API as the screens see it: package
// client implements it.
type Sync interface {
	Status() SyncStatus
	Directory(ctx context.Context) ([]DirectoryEntry, error)
	// Start runs the sender and the poller; Stop ends them and waits.
	Start(ctx context.Context)
	Stop()
	// OnChange registers fn, called from a background goroutine whenever
	// the status changes or events changed dossiers.
	OnChange(fn func())
}

// Option configures a Service.
type Option func(*Service)

// WithBackups gives the service the backup port and the data folder, whose
// "backups" subfolder is the default backup place.
func WithBackups(b Backups, dataDir string) Option {
	return func(s *Service) { s.backups, s.dataDir = b, dataDir }
}

// WithSecrets keeps the hub key in sec instead of the database.
func WithSecrets(sec Secrets) Option { return func(s *Service) { s.secrets = sec } }

// WithOutboxNotifier has n told of every commit that queued outbox items.
func WithOutboxNotifier(n OutboxNotifier) Option {
	return func(s *Service) { s.notifier.Store(&n) }
}
