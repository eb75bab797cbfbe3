package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/sirupsen/logrus"
	bolt "go.etcd.io/bbolt"

	"motcua/api"
)

// Vietnam is the zone of every time the hub writes (+07:00).
var Vietnam = time.FixedZone("ICT", 7*3600)

// Options tune a hub; the zero value gives the contract's defaults.
type Options struct {
	Logger               *logrus.Logger   // nil: logrus.StandardLogger()
	RateLimit            float64          // requests per second per key; 0: 20; < 0: unlimited
	RateBurst            int              // bucket size; 0: 40
	EventRetention       time.Duration    // 0: 30 days
	IdempotencyRetention time.Duration    // 0: 8 days (the contract promises ≥ 7)
	Now                  func() time.Time // nil: time.Now
	BodyTimeout          time.Duration    // a JSON body must arrive within it, a blob make progress within it; 0: 30 s
	BlobTimeout          time.Duration    // a whole blob upload; 0: 15 min
	BlobQuota            int64            // bytes of blobs each agency may upload; 0: 20 GiB; < 0: unlimited
	BlobGrace            time.Duration    // an unreferenced blob is deleted after it; 0: 7 days
	LookupRate           float64          // public look-ups per second per client address; 0: 1; < 0: unlimited
	LookupBurst          int              // 0: 20
}

// Hub is an open hub data folder. Its methods are safe for concurrent use.
type Hub struct {
	dir      string
	db       *bolt.DB
	opts     Options
	log      *logrus.Logger
	router   routers.Router
	notify   notifier
	limiter  *limiter
	byAddr   *limiter // the public look-up, per client address
	inflight inflight
	closing  chan struct{} // closed by StopLongPolls: waiting inboxes answer at once
	stopOnce sync.Once
	once     sync.Once
}

var (
	bAgencies  = []byte("agencies")  // code → agencyRecord
	bKeys      = []byte("keys")      // key id → keyRecord
	bTransfers = []byte("transfers") // id → api.Transfer; its sequence orders the lists
	bLists     = []byte("lists")     // agency \0 role \0 seq → transfer id
	bBizKeys   = []byte("bizkeys")   // from \0 dossier code \0 to \0 purpose → live transfer id
	bEvents    = []byte("events")    // agency → (seq → time ‖ api.Event)
	bPruned    = []byte("pruned")    // agency → last pruned seq
	bIdem      = []byte("idem")      // agency \0 key → time ‖ idemRecord
	bBlobs     = []byte("blobs")     // hex → blobRecord
	bBlobACL   = []byte("blobacl")   // hex \0 agency → "" (who may see the blob)
	bBlobRefs  = []byte("blobrefs")  // hex → "" (referenced by a transfer or submission: kept)
	bBlobUp    = []byte("blobup")    // agency \0 hex → "" (uploaded by: counts against its quota)
	bUsage     = []byte("usage")     // agency → bytes uploaded (big-endian uint64)
)

// Open opens (creating if needed) the hub data folder dataDir with default options.
func Open(dataDir string) (*Hub, error) { return OpenWith(dataDir, Options{}) }

// OpenWith opens the hub data folder with options.
func OpenWith(dataDir string, o Options) (*Hub, error) {
	if o.Logger == nil {
		o.Logger = logrus.StandardLogger()
	}
	if o.RateLimit == 0 {
		o.RateLimit = 20
	}
	if o.RateBurst == 0 {
		o.RateBurst = 40
	}
	if o.EventRetention == 0 {
		o.EventRetention = 30 * 24 * time.Hour
	}
	if o.IdempotencyRetention == 0 {
		o.IdempotencyRetention = 8 * 24 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BodyTimeout == 0 {
		o.BodyTimeout = 30 * time.Second
	}
	if o.BlobTimeout == 0 {
		o.BlobTimeout = 15 * time.Minute
	}
	if o.BlobQuota == 0 {
		o.BlobQuota = 20 << 30
	}
	if o.LookupRate == 0 {
		o.LookupRate = 1
	}
	if o.LookupBurst == 0 {
		o.LookupBurst = 20
	}
	if o.BlobGrace == 0 {
		o.BlobGrace = 7 * 24 * time.Hour
	}
	if err := os.MkdirAll(filepath.Join(dataDir, "blobs", "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("hub: data folder: %w", err)
	}
	db, err := bolt.Open(filepath.Join(dataDir, "hub.db"), 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("hub: %s is in use by another process (stop the running hub first)", dataDir)
		}
		return nil, fmt.Errorf("hub: open database: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		fresh := tx.Bucket(bBlobRefs) == nil
		for _, b := range append([][]byte{bAgencies, bKeys, bTransfers, bLists, bBizKeys, bEvents, bPruned, bIdem, bBlobs, bBlobACL}, newBuckets...) {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		if fresh {
			return backfillBlobRefs(tx)
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("hub: init database: %w", err)
	}
	doc, err := api.LoadOpenAPI()
	if err != nil {
		db.Close()
		return nil, err
	}
	doc.Servers = nil // match on paths only, whatever host the hub is reached by
	router, err := legacy.NewRouter(doc)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("hub: openapi router: %w", err)
	}
	// Stale temporary uploads from a crash are garbage.
	if tmps, err := os.ReadDir(filepath.Join(dataDir, "blobs", "tmp")); err == nil {
		for _, e := range tmps {
			os.Remove(filepath.Join(dataDir, "blobs", "tmp", e.Name()))
		}
	}
	return &Hub{
		dir:     dataDir,
		db:      db,
		opts:    o,
		log:     o.Logger,
		router:  router,
		limiter: newLimiter(o.RateLimit, o.RateBurst),
		byAddr:  newLimiter(o.LookupRate, o.LookupBurst),
		closing: make(chan struct{}),
	}, nil
}

// Close wakes every waiting long-poll and closes the database.
func (h *Hub) Close() error {
	var err error
	h.once.Do(func() {
		h.StopLongPolls()
		err = h.db.Close()
	})
	return err
}

// StopLongPolls makes every waiting and future long-poll answer at once; call
// it when a graceful shutdown begins.
func (h *Hub) StopLongPolls() { h.stopOnce.Do(func() { close(h.closing) }) }

func (h *Hub) now() time.Time { return h.opts.Now().In(Vietnam).Round(0).Truncate(time.Millisecond) }

type agencyRecord struct {
	api.Agency
	CreatedAt time.Time `json:"created_at"`
}

// Kinds of callers: an agency's installation, or a portal (v1.1).
const (
	kindAgency = ""
	kindPortal = "portal"
)

type keyRecord struct {
	Agency    string    `json:"agency"` // the agency or portal code
	Kind      string    `json:"kind,omitempty"`
	Hash      []byte    `json:"hash"` // SHA-256 of the secret part
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// AddAgency registers an agency of level "other" and returns its first key.
func (h *Hub) AddAgency(code, name, parent string) (key string, err error) {
	return h.AddAgencyLevel(code, name, parent, api.LevelOther)
}

// AddAgencyLevel registers an agency and returns its first key, printed once:
// the hub keeps only its hash.
func (h *Hub) AddAgencyLevel(code, name, parent string, level api.AgencyLevel) (key string, err error) {
	if !api.ValidAgencyCode(code) {
		return "", fmt.Errorf("hub: agency code %q does not match %s", code, api.AgencyCodePattern)
	}
	if parent != "" && !api.ValidAgencyCode(parent) {
		return "", fmt.Errorf("hub: parent code %q does not match %s", parent, api.AgencyCodePattern)
	}
	if strings.TrimSpace(name) == "" {
		return "", errors.New("hub: agency name is empty")
	}
	if !level.Valid() {
		return "", fmt.Errorf("hub: level %q is not one of province, department, commune, other", level)
	}
	err = h.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bAgencies)
		if b.Get([]byte(code)) != nil {
			return fmt.Errorf("hub: agency %s already exists", code)
		}
		rec := agencyRecord{Agency: api.Agency{Code: code, Name: strings.TrimSpace(name), ParentCode: parent, Level: level, Active: true}, CreatedAt: h.now()}
		if err := putJSON(b, []byte(code), rec); err != nil {
			return err
		}
		key, err = issueKey(tx, code, h.now())
		return err
	})
	return key, err
}

// SetAgencyActive activates or deactivates an agency; an inactive agency
// cannot receive new transfers (its keys keep working).
func (h *Hub) SetAgencyActive(code string, active bool) error {
	return h.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bAgencies)
		var rec agencyRecord
		if err := getJSON(b, []byte(code), &rec); err != nil {
			return fmt.Errorf("hub: agency %s: %w", code, err)
		}
		rec.Active = active
		return putJSON(b, []byte(code), rec)
	})
}

// Agencies lists the directory ordered by code.
func (h *Hub) Agencies() ([]api.Agency, error) {
	out := []api.Agency{}
	err := h.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bAgencies).ForEach(func(k, v []byte) error {
			var rec agencyRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			out = append(out, rec.Agency)
			return nil
		})
	})
	return out, err
}

// IssueKey issues one more key for the agency; older keys stay valid.
func (h *Hub) IssueKey(code string) (key string, err error) {
	err = h.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bAgencies).Get([]byte(code)) == nil {
			return fmt.Errorf("hub: agency %s: %w", code, errNotFound)
		}
		key, err = issueKey(tx, code, h.now())
		return err
	})
	return key, err
}

// RevokeKey revokes every key of the agency and returns how many were live.
func (h *Hub) RevokeKey(code string) (revoked int, err error) {
	var ok bool
	h.db.View(func(tx *bolt.Tx) error { ok = tx.Bucket(bAgencies).Get([]byte(code)) != nil; return nil })
	if !ok {
		return 0, fmt.Errorf("hub: agency %s: %w", code, errNotFound)
	}
	return h.revokeKeys(code)
}

// revokeKeys revokes every live key of an agency or portal code.
func (h *Hub) revokeKeys(code string) (revoked int, err error) {
	err = h.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bKeys)
		type kv struct {
			k   []byte
			rec keyRecord
		}
		var upd []kv
		err := b.ForEach(func(k, v []byte) error {
			var rec keyRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			if rec.Agency == code && rec.RevokedAt.IsZero() {
				rec.RevokedAt = h.now()
				upd = append(upd, kv{append([]byte(nil), k...), rec})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, u := range upd {
			if err := putJSON(b, u.k, u.rec); err != nil {
				return err
			}
		}
		revoked = len(upd)
		return nil
	})
	return revoked, err
}

const keyPrefix = "mck_"

// issueKey makes a key "mck_<id>_<secret>": the id finds the record, the secret
// is checked against its SHA-256 in constant time.
func issueKey(tx *bolt.Tx, code string, now time.Time) (string, error) {
	return issueKeyKind(tx, code, kindAgency, now)
}

func issueKeyKind(tx *bolt.Tx, code, kind string, now time.Time) (string, error) {
	var id [8]byte
	var secret [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", err
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", err
	}
	sec := hex.EncodeToString(secret[:])
	sum := sha256.Sum256([]byte(sec))
	rec := keyRecord{Agency: code, Kind: kind, Hash: sum[:], CreatedAt: now}
	if err := putJSON(tx.Bucket(bKeys), []byte(hex.EncodeToString(id[:])), rec); err != nil {
		return "", err
	}
	return keyPrefix + hex.EncodeToString(id[:]) + "_" + sec, nil
}

// authenticate maps a bearer key to its agency (or portal) and key id.
func (h *Hub) authenticate(key string) (agency, keyID string, ok bool) {
	agency, _, keyID, ok = h.authenticateKind(key)
	return agency, keyID, ok
}

func (h *Hub) authenticateKind(key string) (agency, kind, keyID string, ok bool) {
	rest, found := strings.CutPrefix(key, keyPrefix)
	if !found {
		return "", "", "", false
	}
	id, sec, found := strings.Cut(rest, "_")
	if !found || len(id) != 16 || len(sec) != 64 {
		return "", "", "", false
	}
	var rec keyRecord
	err := h.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bKeys), []byte(id), &rec) })
	if err != nil {
		return "", "", "", false
	}
	sum := sha256.Sum256([]byte(sec))
	if subtle.ConstantTimeCompare(sum[:], rec.Hash) != 1 || !rec.RevokedAt.IsZero() {
		return "", "", "", false
	}
	return rec.Agency, rec.Kind, id, true
}

var errNotFound = errors.New("not found")

func putJSON(b *bolt.Bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(k, data)
}

func getJSON(b *bolt.Bucket, k []byte, v any) error {
	data := b.Get(k)
	if data == nil {
		return errNotFound
	}
	return json.Unmarshal(data, v)
}

func be64(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

func join(parts ...string) []byte { return []byte(strings.Join(parts, "\x00")) }

func newID(prefix string) string { return prefix + "_" + strings.ToLower(rand.Text()) }

// notifier wakes the long-polls of one agency: each waiter holds the current
// channel, and a commit closes it and starts a new one.
type notifier struct {
	mu sync.Mutex
	ch map[string]chan struct{}
}

func (n *notifier) watch(agency string) <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = map[string]chan struct{}{}
	}
	c := n.ch[agency]
	if c == nil {
		c = make(chan struct{})
		n.ch[agency] = c
	}
	return c
}

func (n *notifier) wake(agencies ...string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, a := range agencies {
		if c := n.ch[a]; c != nil {
			close(c)
			delete(n.ch, a)
		}
	}
}

// RunMaintenance prunes old events and idempotency records every interval
// until ctx ends.
func (h *Hub) RunMaintenance(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if ev, id, err := h.Prune(); err != nil {
			h.log.WithError(err).Error("prune")
		} else if ev+id > 0 {
			h.log.WithFields(logrus.Fields{"events": ev, "idempotency": id}).Info("pruned")
		}
		if n, err := h.CollectBlobs(); err != nil {
			h.log.WithError(err).Error("blob collection")
		} else if n > 0 {
			h.log.WithField("blobs", n).Info("unreferenced blobs deleted")
		}
		select {
		case <-ctx.Done():
			return
		case <-h.closing:
			return
		case <-t.C:
		}
	}
}

// Prune deletes events older than the event retention and idempotency records
// older than the idempotency retention.
func (h *Hub) Prune() (events, idem int, err error) {
	now := h.opts.Now()
	evCut := now.Add(-h.opts.EventRetention).UnixNano()
	idCut := now.Add(-h.opts.IdempotencyRetention).UnixNano()
	err = h.db.Update(func(tx *bolt.Tx) error {
		eb := tx.Bucket(bEvents)
		var agencies [][]byte
		eb.ForEachBucket(func(k []byte) error {
			agencies = append(agencies, append([]byte(nil), k...))
			return nil
		})
		for _, a := range agencies {
			b := eb.Bucket(a)
			var old [][]byte
			c := b.Cursor()
			for k, v := c.First(); k != nil && int64(binary.BigEndian.Uint64(v[:8])) < evCut; k, v = c.Next() {
				old = append(old, append([]byte(nil), k...))
			}
			for _, k := range old {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			if len(old) > 0 {
				if err := tx.Bucket(bPruned).Put(a, old[len(old)-1]); err != nil {
					return err
				}
				events += len(old)
			}
		}
		ib := tx.Bucket(bIdem)
		var old [][]byte
		ib.ForEach(func(k, v []byte) error {
			if int64(binary.BigEndian.Uint64(v[:8])) < idCut {
				old = append(old, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range old {
			if err := ib.Delete(k); err != nil {
				return err
			}
		}
		idem = len(old)
		return nil
	})
	return events, idem, err
}

// waiting reports whether a long-poll of the agency is parked (for tests).
func (n *notifier) waiting(agency string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.ch[agency] != nil
}
