package hub

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/api"
)

// idemKey is one Idempotency-Key of one agency, with the fingerprint of the
// request (method, path and body bytes) it was first used for.
type idemKey struct {
	agency, key string
	print       string
}

func newIdemKey(agency, key, method, path string, body []byte) *idemKey {
	h := sha256.New()
	h.Write([]byte(method + " " + path + "\n"))
	h.Write(body)
	return &idemKey{agency: agency, key: key, print: hex.EncodeToString(h.Sum(nil))}
}

func (k *idemKey) dbKey() []byte { return join(k.agency, k.key) }

type idemRecord struct {
	Print    string    `json:"print"`
	Response *response `json:"response"`
}

// save stores the response in the same transaction as the change it answers.
func (k *idemKey) save(tx *bolt.Tx, resp *response, now time.Time) error {
	body, err := json.Marshal(idemRecord{Print: k.print, Response: resp})
	if err != nil {
		return err
	}
	val := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint64(val, uint64(now.UnixNano()))
	return tx.Bucket(bIdem).Put(k.dbKey(), append(val, body...))
}

// inflight tracks the keys whose first request is still running.
type inflight struct {
	mu   sync.Mutex
	keys map[string]bool
}

func (f *inflight) begin(k *idemKey) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.keys == nil {
		f.keys = map[string]bool{}
	}
	if f.keys[string(k.dbKey())] {
		return false
	}
	f.keys[string(k.dbKey())] = true
	return true
}

func (f *inflight) end(k *idemKey) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.keys, string(k.dbKey()))
}

// idempotent runs op once per key: a stored response with the same fingerprint
// is replayed (replayed=true), another fingerprint is 422, a running one 409.
func (h *Hub) idempotent(k *idemKey, op func() (*response, error)) (resp *response, replayed bool, err error) {
	if !h.inflight.begin(k) {
		return nil, false, problem(api.CodeRequestInProgress, "a request with this Idempotency-Key is still running; retry later")
	}
	defer h.inflight.end(k)
	var rec *idemRecord
	err = h.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bIdem).Get(k.dbKey())
		if v == nil {
			return nil
		}
		rec = new(idemRecord)
		return json.Unmarshal(v[8:], rec)
	})
	if err != nil {
		return nil, false, err
	}
	if rec != nil {
		if rec.Print != k.print {
			return nil, false, problem(api.CodeIdempotencyKeyReused, "this Idempotency-Key was used for another request; use a new key for a new request")
		}
		return rec.Response, true, nil
	}
	resp, err = op()
	return resp, false, err
}
