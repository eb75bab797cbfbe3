package hub

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/api"
)

// Daily tamper-evidence digests (extension, docs/central-api-extensions.md):
// each office sends one digest per day with changes; the hub keeps the first
// copy of each day per agency and gives it back to that agency. The office's
// full integrity check compares its data with these copies.
//
//	digests  agency 0x00 YYYY-MM-DD → api.DailyDigest (JSON, received_at set)

var bDigests = []byte("digests")

func digestKey(agency, date string) []byte {
	return append(append([]byte(agency), 0), date...)
}

// digestOf is the office's formula (app.ComputeDigest): the hub recomputes
// it so that it never keeps a digest that does not match its own parts.
func digestOf(d *api.DailyDigest) string {
	sum := sha256.Sum256([]byte("motcua-digest-v1\n" + d.Date + "\n" + d.Previous + "\n" + strconv.Itoa(d.Chains) + "\n" + d.HeadsSHA + "\n"))
	return hex.EncodeToString(sum[:])
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func (h *Hub) handlePutDigest(c *call) error {
	var d api.DailyDigest
	if err := api.DecodeStrictBytes(c.body, &d); err != nil {
		return err
	}
	date := c.r.PathValue("date")
	switch {
	case !validDate(date):
		return problem(api.CodeValidationFailed, "not a date", api.FieldError{Pointer: "path:date", Detail: "YYYY-MM-DD"})
	case d.Date != date:
		return problem(api.CodeValidationFailed, "the body's date differs from the path's", api.FieldError{Pointer: "/date", Detail: "must be " + date})
	case digestOf(&d) != d.Digest:
		return problem(api.CodeValidationFailed, "digest is not the hash of its parts", api.FieldError{Pointer: "/digest", Detail: "SHA-256 of motcua-digest-v1, date, previous, chains, heads_sha256"})
	}
	d.ReceivedAt = h.opts.Now().In(Vietnam)
	status := http.StatusCreated
	var kept api.DailyDigest
	err := h.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bDigests)
		if err != nil {
			return err
		}
		k := digestKey(c.agency, date)
		if raw := b.Get(k); raw != nil {
			if err := json.Unmarshal(raw, &kept); err != nil {
				return err
			}
			if kept.Digest != d.Digest {
				return problem(api.CodeDigestConflict, fmt.Sprintf("the hub already keeps another digest of %s for this agency (received %s)",
					date, kept.ReceivedAt.Format(time.RFC3339)))
			}
			status = http.StatusOK
			return nil
		}
		raw, err := json.Marshal(&d)
		if err != nil {
			return err
		}
		kept = d
		return b.Put(k, raw)
	})
	if err != nil {
		return err
	}
	return writeJSON(c.w, status, &kept)
}

func (h *Hub) handleGetDigest(c *call) error {
	date := c.r.PathValue("date")
	if !validDate(date) {
		return problem(api.CodeValidationFailed, "not a date", api.FieldError{Pointer: "path:date", Detail: "YYYY-MM-DD"})
	}
	page, err := h.Digests(c.agency, date, date, 1)
	if err != nil {
		return err
	}
	if len(page.Items) == 0 {
		return problem(api.CodeNotFound, "no digest of "+date+" for this agency")
	}
	return writeJSON(c.w, http.StatusOK, &page.Items[0])
}

func (h *Hub) handleListDigests(c *call) error {
	q := c.r.URL.Query()
	for _, p := range []string{"from", "to"} {
		if v := q.Get(p); v != "" && !validDate(v) {
			return problem(api.CodeValidationFailed, "not a date", api.FieldError{Pointer: "query:" + p, Detail: "YYYY-MM-DD"})
		}
	}
	page, err := h.Digests(c.agency, q.Get("from"), q.Get("to"), queryInt(c, "limit", 1000))
	if err != nil {
		return err
	}
	return writeJSON(c.w, http.StatusOK, page)
}

// Digests returns an agency's kept digests of [from, to] ("" = unbounded), at
// most limit of them: for the API and for the hub administrator.
func (h *Hub) Digests(agency, from, to string, limit int) (*api.DigestPage, error) {
	if limit <= 0 || limit > 2000 {
		limit = 2000
	}
	page := &api.DigestPage{Items: []api.DailyDigest{}}
	err := h.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bDigests)
		if b == nil {
			return nil
		}
		prefix := digestKey(agency, "")
		c := b.Cursor()
		for k, v := c.Seek(digestKey(agency, from)); k != nil && len(k) > len(prefix) && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
			date := string(k[len(prefix):])
			if to != "" && date > to {
				break
			}
			if len(page.Items) == limit {
				page.Next = date
				break
			}
			var d api.DailyDigest
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			page.Items = append(page.Items, d)
		}
		return nil
	})
	return page, err
}
