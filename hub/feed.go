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
			var ev api.Event
			if err := json.Unmarshal(v[8:], &ev); err != nil {
				return err
			}
			page.Events = append(page.Events, ev)
			page.NextCursor = encodeCursor("i1", agency, strconv.FormatUint(binary.BigEndian.Uint64(k), 10))
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
			var t api.Transfer
			if err := getJSON(tb, v, &t); err != nil {
				return err
			}
			page.Transfers = append(page.Transfers, t)
			page.NextCursor = encodeCursor("l1", agency, role, strconv.FormatUint(binary.BigEndian.Uint64(k[len(prefix):]), 10))
		}
		return nil
	})
	return page, err
}
