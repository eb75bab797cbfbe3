package hub

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/api"
)

// A portal is the province's online public-service portal (central-api.md
// v1.1): a caller that submits online dossiers for agencies. Its keys live
// with the agencies' keys, marked as a portal's; a portal key may upload and
// read blobs, call the submissions endpoints and read its own inbox.

// PortalCodePattern is what a portal code looks like (e.g. DVC-H56); it can
// never be an agency code, so the two share the key, grant and feed buckets.
var PortalCodePattern = regexp.MustCompile(`^[A-Z][A-Z0-9-]{1,31}$`)

var bPortals = []byte("portals") // code → Portal

// Portal is a registered portal.
type Portal struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

func init() { newBuckets = append(newBuckets, bPortals) }

// AddPortal registers a portal and returns its first key (shown once).
func (h *Hub) AddPortal(code, name string) (key string, err error) {
	if !PortalCodePattern.MatchString(code) || api.ValidAgencyCode(code) {
		return "", fmt.Errorf("hub: portal code %q must match %s (e.g. DVC-H56)", code, PortalCodePattern)
	}
	if strings.TrimSpace(name) == "" {
		return "", fmt.Errorf("hub: portal name is empty")
	}
	err = h.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPortals)
		if b.Get([]byte(code)) != nil {
			return fmt.Errorf("hub: portal %s already exists", code)
		}
		if err := putJSON(b, []byte(code), Portal{Code: code, Name: strings.TrimSpace(name), CreatedAt: h.now()}); err != nil {
			return err
		}
		key, err = issueKeyKind(tx, code, kindPortal, h.now())
		return err
	})
	return key, err
}

// Portals lists the registered portals ordered by code.
func (h *Hub) Portals() ([]Portal, error) {
	out := []Portal{}
	err := h.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bPortals).ForEach(func(_, v []byte) error {
			var p Portal
			if err := json.Unmarshal(v, &p); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

// IssuePortalKey issues one more key for a portal; older keys stay valid.
func (h *Hub) IssuePortalKey(code string) (key string, err error) {
	err = h.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bPortals).Get([]byte(code)) == nil {
			return fmt.Errorf("hub: portal %s: %w", code, errNotFound)
		}
		key, err = issueKeyKind(tx, code, kindPortal, h.now())
		return err
	})
	return key, err
}

// RevokePortalKey revokes every key of a portal.
func (h *Hub) RevokePortalKey(code string) (int, error) {
	var ok bool
	h.db.View(func(tx *bolt.Tx) error { ok = tx.Bucket(bPortals).Get([]byte(code)) != nil; return nil })
	if !ok {
		return 0, fmt.Errorf("hub: portal %s: %w", code, errNotFound)
	}
	return h.revokeKeys(code)
}
