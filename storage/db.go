package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"motcua/app"
)

// DB is the office database: one bbolt file. It implements app.Store.
type DB struct {
	bolt *bolt.DB
	path string
}

var _ app.Store = (*DB)(nil)

// Option changes how Open opens the file.
type Option func(*options)

type options struct {
	timeout  time.Duration
	readOnly bool
	noSync   bool
}

// WithTimeout sets how long Open waits for the file lock (default 1 s).
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// ReadOnly opens the file with a shared lock and no writes: Update fails.
// The file must already be at this program's schema (nothing is migrated).
func ReadOnly() Option { return func(o *options) { o.readOnly = true } }

// withNoSync turns off fsync. Only the benchmark dataset builder uses it: a
// crash may lose or corrupt the file.
func withNoSync() Option { return func(o *options) { o.noSync = true } }

// ErrLockedMsg is the message of the KindLocked error of Open.
const ErrLockedMsg = app.MsgStoreLocked

// Open opens (or creates, with its parent folder) the database at path and
// brings its schema up to date.
func Open(path string, opts ...Option) (*DB, error) {
	const op = "storage.Open"
	o := options{timeout: time.Second}
	for _, f := range opts {
		f(&o)
	}
	if !o.readOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, app.E(op, app.KindOther, app.MsgStoreDir, err)
		}
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: o.timeout, ReadOnly: o.readOnly, FreelistType: bolt.FreelistMapType})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, app.E(op, app.KindLocked, ErrLockedMsg, err)
		}
		return nil, app.E(op, app.KindOther, app.MsgStoreOpen, err)
	}
	bdb.NoSync = o.noSync
	db := &DB{bolt: bdb, path: path}
	// A write transaction (and its fsync) only when there is a migration to run.
	current := false
	err = bdb.View(func(tx *bolt.Tx) error {
		v, err := checkSchema(tx)
		current = v == len(migrations)
		return err
	})
	switch {
	case err != nil || current:
	case o.readOnly:
		err = app.E("storage.schema", app.KindInvalid, app.MsgStoreUpgrade)
	default:
		err = bdb.Update(migrate)
	}
	if err != nil {
		bdb.Close()
		return nil, app.E(op, err)
	}
	return db, nil
}

// Close releases the file and its lock.
func (db *DB) Close() error { return db.bolt.Close() }

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// Update runs fn in one read-write transaction, committed and fsync'd when fn
// returns nil and rolled back entirely when it returns an error.
func (db *DB) Update(fn func(app.Tx) error) error {
	return wrapBolt("storage.Update", db.bolt.Update(func(btx *bolt.Tx) error { return fn(&tx{btx}) }))
}

// View runs fn in a read-only transaction: a consistent snapshot that does not
// block the writer.
func (db *DB) View(fn func(app.Tx) error) error {
	return wrapBolt("storage.View", db.bolt.View(func(btx *bolt.Tx) error { return fn(&tx{btx}) }))
}

// wrapBolt leaves the app's own errors alone and classifies bbolt's.
func wrapBolt(op string, err error) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	switch {
	case errors.Is(err, berrors.ErrDatabaseNotOpen):
		return app.E(op, app.KindOther, app.MsgStoreClosed, err)
	case errors.Is(err, berrors.ErrTxNotWritable), errors.Is(err, berrors.ErrDatabaseReadOnly):
		return app.E(op, app.KindPermission, app.MsgStoreReadOnly, err)
	}
	return app.E(op, app.KindOther, err)
}

// Schema and migrations.

var (
	bMeta       = []byte("meta")
	keySchema   = []byte("schema")
	bDossiers   = []byte("dossiers")
	bSummaries  = []byte("summaries")
	bHistory    = []byte("history")
	bIdxState   = []byte("idx_state")
	bIdxRecv    = []byte("idx_received")
	bIdxDue     = []byte("idx_due")
	bIdxProc    = []byte("idx_proc")
	bIdxID      = []byte("idx_id")
	bIdxPhone   = []byte("idx_phone")
	bIdxName    = []byte("idx_name")
	bIdxHandler = []byte("idx_handler") // handler 0x00 received code, open dossiers only
	bWords      = []byte("words")
	bCounters   = []byte("counters")
	bSeq        = []byte("seq")
	bOffice     = []byte("office")
	bUsers      = []byte("users")
	bProcedures = []byte("procedures")
	bCalendar   = []byte("calendar")
	bGuidance   = []byte("guidance")
	bAudit      = []byte("audit")
	bOutbox     = []byte("outbox")
	bOutboxQ    = []byte("outbox_queue") // queue 0x00 id
	bOutboxHead = []byte("outbox_heads") // head id → queue
	bInbox      = []byte("inbox")        // cursor
	bEvents     = []byte("inbox_events") // event id → seen
	bIncoming   = []byte("incoming")     // id → JSON
	bIncomingT  = []byte("incoming_by_time")
)

// migrations[i] brings the schema from version i to i+1. Append only: a
// released migration is never edited.
var migrations = []func(tx *bolt.Tx) error{
	// 1: every bucket of the first release.
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bDossiers, bSummaries, bHistory, bIdxState, bIdxRecv, bIdxDue, bIdxProc,
			bIdxID, bIdxPhone, bIdxName, bWords, bCounters, bSeq, bOffice, bUsers, bProcedures, bCalendar,
			bGuidance, bAudit, bOutbox, bOutboxQ, bOutboxHead, bInbox, bEvents, bIncoming, bIncomingT} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 2: statistics counters (storage/stats.go), rebuilt from the dossiers.
	rebuildStats,
	// 3: summaries rows get their binary head, and the name index carries it.
	migrateRowHeads,
	// 4: tamper evidence: chain-heads index, daily digests, every dossier's
	// current state sealed into its chain (storage/integrity.go).
	migrateSeal,
	// 5: the handler index ("Hồ sơ của tôi"): open dossiers by their current
	// handler; summaries rows carry the handler's username.
	migrateHandlerIndex,
}

// migrateHandlerIndex creates the handler index and fills it from the open
// dossiers (their rows get the handler's username).
func migrateHandlerIndex(tx *bolt.Tx) error {
	idx, err := tx.CreateBucketIfNotExists(bIdxHandler)
	if err != nil {
		return err
	}
	sums, dossiers := tx.Bucket(bSummaries), tx.Bucket(bDossiers)
	type put struct{ k, v []byte }
	var rows []put
	var keys [][]byte
	err = sums.ForEach(func(k, v []byte) error {
		r, err := decodeRow(v)
		if err != nil || !r.State.Open() {
			return err
		}
		var d struct {
			Handler app.UserRef `json:"handler"`
		}
		if raw := dossiers.Get(k); raw != nil {
			if err := decode(raw, &d); err != nil {
				return err
			}
		}
		if d.Handler.Username == "" {
			return nil
		}
		r.Handler = d.Handler.Username
		nv, err := encodeRow(r)
		if err != nil {
			return err
		}
		rows = append(rows, put{append([]byte{}, k...), nv})
		for _, ik := range indexKeys(r) {
			if ik.bucket == string(bIdxHandler) {
				keys = append(keys, []byte(ik.key))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range rows {
		if err := sums.Put(p.k, p.v); err != nil {
			return err
		}
	}
	for _, k := range keys {
		if err := idx.Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

// migrateRowHeads rewrites summaries rows written as bare JSON into the
// head+JSON form (row.go) and sets every name index value to its row's head.
func migrateRowHeads(tx *bolt.Tx) error {
	sums, names := tx.Bucket(bSummaries), tx.Bucket(bIdxName)
	type put struct{ k, v []byte }
	var rows, heads []put // a bucket must not change under ForEach
	err := sums.ForEach(func(k, v []byte) error {
		r, err := decodeRow(v)
		if err != nil {
			r = new(summaryRec)
			if jerr := decode(v, r); jerr != nil {
				return err
			}
			nv, err := encodeRow(r)
			if err != nil {
				return err
			}
			rows = append(rows, put{append([]byte{}, k...), nv})
		}
		head := encodeHead(r)
		for _, ik := range indexKeys(r) {
			if ik.bucket == string(bIdxName) {
				heads = append(heads, put{[]byte(ik.key), head})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range rows {
		if err := sums.Put(p.k, p.v); err != nil {
			return err
		}
	}
	for _, p := range heads {
		if err := names.Put(p.k, p.v); err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion is the schema this code writes.
func SchemaVersion() int { return len(migrations) }

// checkSchema returns the file's schema version, or an error when the file
// comes from a newer program.
func checkSchema(tx *bolt.Tx) (int, error) {
	v := 0
	if b := tx.Bucket(bMeta); b != nil {
		if raw := b.Get(keySchema); len(raw) == 8 {
			v = int(binary.BigEndian.Uint64(raw))
		}
	}
	if v > len(migrations) {
		return v, app.E("storage.schema", app.KindInvalid, app.M(app.MsgStoreNewer, v, len(migrations)))
	}
	return v, nil
}

func migrate(tx *bolt.Tx) error {
	v, err := checkSchema(tx)
	if err != nil {
		return err
	}
	meta, err := tx.CreateBucketIfNotExists(bMeta)
	if err != nil {
		return err
	}
	for ; v < len(migrations); v++ {
		if err := migrations[v](tx); err != nil {
			return fmt.Errorf("migration to schema %d: %w", v+1, err)
		}
		if err := meta.Put(keySchema, u64(uint64(v+1))); err != nil {
			return err
		}
	}
	return nil
}

// Raw access, for tests and the integrity check only.

// RawPut writes value under key in bucket, bypassing every rule and index.
// Only tests use it, to tamper with records behind the app's back.
func (db *DB) RawPut(bucket, key, value []byte) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucket)
		if err != nil {
			return err
		}
		return b.Put(key, value)
	})
}

// RawGet returns a copy of the value under key in bucket (nil if absent).
// Only tests use it.
func (db *DB) RawGet(bucket, key []byte) ([]byte, error) {
	var out []byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucket); b != nil {
			if v := b.Get(key); v != nil {
				out = append([]byte{}, v...)
			}
		}
		return nil
	})
	return out, err
}

// HistoryKey is the raw key of a history entry (for RawPut in tests).
func HistoryKey(code string, seq int) []byte { return historyKey(code, seq) }

// HistoryBucket is the raw name of the history bucket (for RawPut in tests).
func HistoryBucket() []byte { return append([]byte{}, bHistory...) }

// ForEachHistory calls fn with every dossier's history, in code order. It is a
// full scan of the history bucket (about a second per 100,000 dossiers): only
// the explicit integrity check may call it, never a screen. It does not check
// the chain itself; that is the app's job.
func (db *DB) ForEachHistory(fn func(code string, entries []app.HistoryEntry) error) error {
	return db.bolt.View(func(btx *bolt.Tx) error {
		c := btx.Bucket(bHistory).Cursor()
		var code string
		var entries []app.HistoryEntry
		for k, v := c.First(); k != nil; k, v = c.Next() {
			kc, _, ok := splitHistoryKey(k)
			if !ok {
				return app.E("storage.ForEachHistory", app.KindOther, app.M(app.MsgHistoryKeyBroken, k))
			}
			if kc != code && entries != nil {
				if err := fn(code, entries); err != nil {
					return err
				}
				entries = nil
			}
			code = kc
			var e app.HistoryEntry
			if err := decode(v, &e); err != nil {
				return err
			}
			entries = append(entries, e)
		}
		if entries != nil {
			return fn(code, entries)
		}
		return nil
	})
}
