package hub

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"motcua/api"
)

// Cursors are opaque to clients: base64url of "kind|agency|…|seq". A cursor of
// another agency, kind or role, or beyond what exists, is unknown (410).

func encodeCursor(parts ...string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, "|")))
}

// decodeCursor checks the prefix parts and returns the trailing sequence.
func decodeCursor(c string, prefix ...string) (uint64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != len(prefix)+1 {
		return 0, false
	}
	for i, p := range prefix {
		if parts[i] != p {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(parts[len(prefix)], 10, 64)
	return n, err == nil
}

func expired() *api.Problem {
	return problem(api.CodeCursorExpired, "unknown or expired cursor: resync with GET /v1/transfers and start the feed again without a cursor")
}

// readInbox returns the events of agency after the cursor.
func (h *Hub) readInbox(agency, cursor string, limit int) (api.InboxPage, error) {
	page := api.InboxPage{Events: []api.Event{}}
	err := h.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bEvents).Bucket([]byte(agency))
		var last, pruned uint64
		if b != nil {
			last = b.Sequence()
		}
		if v := tx.Bucket(bPruned).Get([]byte(agency)); v != nil {
			pruned = binary.BigEndian.Uint64(v)
		}
		after := pruned
		if cursor != "" {
			n, ok := decodeCursor(cursor, "i1", agency)
			if !ok || n > last || n < pruned {
				return expired()
			}
			after = n
		}
		page.NextCursor = encodeCursor("i1", agency, strconv.FormatUint(after, 10))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(be64(after + 1)); k != nil; k, v = c.Next() {
			if len(page.Events) == limit {
				page.HasMore = true
				break
			}
			seq := binary.BigEndian.Uint64(k)
			page.NextCursor = encodeCursor("i1", agency, strconv.FormatUint(seq, 10))
			if ev, ok := h.storedEvent(agency, seq, v[8:]); ok {
				page.Events = append(page.Events, ev)
			}
		}
		return nil
	})
	return page, err
}

// inbox is readInbox with the long-poll: with nothing new it waits until an
// event for the agency commits, the wait ends, the client leaves or the hub
// closes.
func (h *Hub) inbox(ctx context.Context, agency, cursor string, limit int, wait time.Duration) (api.InboxPage, error) {
	var timeout <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	for {
		woken := h.notify.watch(agency) // before reading, so no commit slips between
		page, err := h.readInbox(agency, cursor, limit)
		if err != nil || len(page.Events) > 0 || wait <= 0 {
			return page, err
		}
		h.log.WithField("agency", agency).Debug("inbox: waiting")
		select {
		case <-woken:
		case <-timeout:
			return page, nil
		case <-ctx.Done():
			return page, nil
		case <-h.closing:
			return page, nil
		}
	}
}

// listTransfers pages through the transfers of agency in one role, oldest first.
func (h *Hub) listTransfers(agency, role, cursor string, limit int) (api.TransferPage, error) {
	page := api.TransferPage{Transfers: []api.Transfer{}}
	r := "s"
	if role == "recipient" {
		r = "r"
	}
	err := h.db.View(func(tx *bolt.Tx) error {
		tb := tx.Bucket(bTransfers)
		var after uint64
		if cursor != "" {
			n, ok := decodeCursor(cursor, "l1", agency, role)
			if !ok || n > tb.Sequence() {
				return expired()
			}
			after = n
		}
		page.NextCursor = encodeCursor("l1", agency, role, strconv.FormatUint(after, 10))
		prefix := join(agency, r, "")
		c := tx.Bucket(bLists).Cursor()
		for k, v := c.Seek(append(bytes.Clone(prefix), be64(after+1)...)); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(page.Transfers) == limit {
				page.HasMore = true
				break
			}
			page.NextCursor = encodeCursor("l1", agency, role, strconv.FormatUint(binary.BigEndian.Uint64(k[len(prefix):]), 10))
			var t api.Transfer
			if err := getJSON(tb, v, &t); err != nil {
				// stored by an older hub without the nesting limit: a resync
				// must not stop at it
				h.log.WithError(err).WithField("transfer", string(v)).Error("list: stored transfer is unreadable; skipped")
				continue
			}
			page.Transfers = append(page.Transfers, t)
		}
		return nil
	})
	return page, err
}

// storedEvent decodes one stored event for delivery. Whatever is stored, it
// never blocks the feed: an event that cannot be decoded or encoded again is
// delivered as a minimal event (its header fields, without data; the receiver
// fetches the snapshot), and one whose header is unreadable too is skipped;
// both with a logged reason.
func (h *Hub) storedEvent(agency string, seq uint64, raw []byte) (api.Event, bool) {
	var ev api.Event
	err := json.Unmarshal(raw, &ev)
	if err == nil {
		ev.Seq = int64(seq) // the key is authoritative
		if _, err = json.Marshal(ev); err == nil {
			return ev, true
		}
	}
	log := h.log.WithError(err).WithField("agency", agency).WithField("seq", seq)
	if min, ok := minimalEvent(raw); ok {
		min.Seq = int64(seq)
		log.Warn("inbox: stored event cannot be delivered whole; delivering it without data")
		return min, true
	}
	log.Error("inbox: stored event is unreadable; skipped")
	return api.Event{}, false
}

// minimalEvent reads the header fields of a stored event, stopping at "data"
// (the hub writes it last), so that nothing nested inside data is parsed.
func minimalEvent(raw []byte) (api.Event, bool) {
	var ev api.Event
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ev, false
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return ev, false
		}
		key, _ := t.(string)
		var dst any
		switch key {
		case "data":
			return ev, ev.ID != ""
		case "id":
			dst = &ev.ID
		case "seq":
			dst = &ev.Seq
		case "type":
			dst = &ev.Type
		case "occurred_at":
			dst = &ev.OccurredAt
		case "transfer_id":
			dst = &ev.TransferID
		case "version":
			dst = &ev.Version
		case "dossier_code":
			dst = &ev.DossierCode
		case "from_agency":
			dst = &ev.FromAgency
		case "to_agency":
			dst = &ev.ToAgency
		default:
			dst = new(json.RawMessage)
		}
		if err := dec.Decode(dst); err != nil {
			return ev, false
		}
	}
	return ev, ev.ID != ""
}
