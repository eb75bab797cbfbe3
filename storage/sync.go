package storage

import (
	"motcua/app"
)

// Outbox. Items live in "outbox" (id → JSON, creation order since IDs are
// sortable); "outbox_queue" (queue 0x00 id) orders each queue; "outbox_heads"
// (head id → queue) holds the first item of every non-empty queue, so the
// sender reads heads without walking the queues.

var (
	ctrPending = []byte("outbox/pending")
	ctrParked  = []byte("outbox/parked")
)

func parkedCounter(parked bool) []byte {
	if parked {
		return ctrParked
	}
	return ctrPending
}

func (t *tx) outboxItem(op, id string) (*app.OutboxItem, error) {
	var it app.OutboxItem
	if err := t.getJSON(op, bOutbox, id, &it, app.M(app.MsgOutboxItemGone, id)); err != nil {
		return nil, err
	}
	return &it, nil
}

// queueHead returns the first item ID of a queue ("" when empty).
func (t *tx) queueHead(queue string) string {
	p := field(queue)
	if k, _ := t.bucket(bOutboxQ).Cursor().Seek(p); k != nil && hasPrefix(k, p) {
		return string(k[len(p):])
	}
	return ""
}

// moveHead records that the head of queue went from old to now ("" = none).
func (t *tx) moveHead(queue, old, now string) error {
	if old == now {
		return nil
	}
	h := t.bucket(bOutboxHead)
	if old != "" {
		if err := h.Delete([]byte(old)); err != nil {
			return err
		}
	}
	if now != "" {
		return h.Put([]byte(now), []byte(queue))
	}
	return nil
}

// Enqueue adds an item; the caller sets ID (sortable, unique), Queue and key.
func (t *tx) Enqueue(item *app.OutboxItem) error {
	const op = "Enqueue"
	if item == nil || item.ID == "" || item.Queue == "" {
		return app.E(op, app.KindInvalid, app.MsgOutboxItemKey)
	}
	if t.bucket(bOutbox).Get([]byte(item.ID)) != nil {
		return app.E(op, app.KindConflict, app.M(app.MsgOutboxItemDup, item.ID))
	}
	if err := t.putJSON(op, bOutbox, item.ID, item); err != nil {
		return err
	}
	old := t.queueHead(item.Queue)
	if err := t.bucket(bOutboxQ).Put(cat(field(item.Queue), []byte(item.ID)), nil); err != nil {
		return wrapBolt(op, err)
	}
	if err := t.moveHead(item.Queue, old, t.queueHead(item.Queue)); err != nil {
		return wrapBolt(op, err)
	}
	return wrapBolt(op, addU64(t.bucket(bCounters), parkedCounter(item.Parked), 1))
}

// OutboxItem returns an item; KindNotFound once it was sent and deleted.
func (t *tx) OutboxItem(id string) (*app.OutboxItem, error) { return t.outboxItem("OutboxItem", id) }

// PutOutboxItem updates an item's attempts, next attempt, error and parked
// state. Its queue cannot change.
func (t *tx) PutOutboxItem(item *app.OutboxItem) error {
	const op = "PutOutboxItem"
	if item == nil {
		return app.E(op, app.KindInvalid, app.MsgOutboxItemNil)
	}
	old, err := t.outboxItem(op, item.ID)
	if err != nil {
		return err
	}
	if old.Queue != item.Queue {
		return app.E(op, app.KindInvalid, app.MsgOutboxQueueFixed)
	}
	if old.Parked != item.Parked {
		ctr := t.bucket(bCounters)
		if err := addU64(ctr, parkedCounter(old.Parked), -1); err != nil {
			return wrapBolt(op, err)
		}
		if err := addU64(ctr, parkedCounter(item.Parked), 1); err != nil {
			return wrapBolt(op, err)
		}
	}
	return t.putJSON(op, bOutbox, item.ID, item)
}

// DeleteOutboxItem removes a sent item; the next item of its queue becomes
// the head.
func (t *tx) DeleteOutboxItem(id string) error {
	const op = "DeleteOutboxItem"
	it, err := t.outboxItem(op, id)
	if err != nil {
		return err
	}
	old := t.queueHead(it.Queue)
	if err := t.bucket(bOutbox).Delete([]byte(id)); err != nil {
		return wrapBolt(op, err)
	}
	if err := t.bucket(bOutboxQ).Delete(cat(field(it.Queue), []byte(id))); err != nil {
		return wrapBolt(op, err)
	}
	if err := t.moveHead(it.Queue, old, t.queueHead(it.Queue)); err != nil {
		return wrapBolt(op, err)
	}
	return wrapBolt(op, addU64(t.bucket(bCounters), parkedCounter(it.Parked), -1))
}

// OutboxHeads returns the first item of each queue, ordered by that item's ID
// (oldest queue first), parked heads included (a parked head blocks its
// queue until a person acts). limit <= 0 means all. Cost: O(limit).
func (t *tx) OutboxHeads(limit int) ([]app.OutboxItem, error) {
	var out []app.OutboxItem
	c := t.bucket(bOutboxHead).Cursor()
	for k, _ := c.First(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Next() {
		it, err := t.outboxItem("OutboxHeads", string(k))
		if err != nil {
			return nil, app.E("OutboxHeads", app.KindOther, app.MsgOutboxIndex, err)
		}
		out = append(out, *it)
	}
	return out, nil
}

// OutboxItems returns every item in creation (ID) order; limit <= 0 means all.
func (t *tx) OutboxItems(limit int) ([]app.OutboxItem, error) {
	var out []app.OutboxItem
	c := t.bucket(bOutbox).Cursor()
	for k, v := c.First(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
		var it app.OutboxItem
		if err := decode(v, &it); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// OutboxCount reads the two counters: O(1).
func (t *tx) OutboxCount() (pending, parked int, err error) {
	ctr := t.bucket(bCounters)
	return int(getU64(ctr, ctrPending)), int(getU64(ctr, ctrParked)), nil
}

// Inbox

var keyInboxCursor = []byte("cursor")

func (t *tx) InboxCursor() (string, error) {
	return string(t.bucket(bInbox).Get(keyInboxCursor)), nil
}

func (t *tx) SetInboxCursor(c string) error {
	return wrapBolt("SetInboxCursor", t.bucket(bInbox).Put(keyInboxCursor, []byte(c)))
}

func (t *tx) SeenEvent(id string) (bool, error) {
	if id == "" {
		return false, app.E("SeenEvent", app.KindInvalid, app.MsgEventIDMissing)
	}
	return t.bucket(bEvents).Get([]byte(id)) != nil, nil
}

func (t *tx) MarkEvent(id string) error {
	if id == "" {
		return app.E("MarkEvent", app.KindInvalid, app.MsgEventIDMissing)
	}
	return wrapBolt("MarkEvent", t.bucket(bEvents).Put([]byte(id), []byte{1}))
}

func incomingTimeKey(in *app.IncomingTransfer) []byte {
	return cat(timeKey(in.ArrivedAt), []byte(in.ID))
}

// PutIncoming inserts or replaces an incoming transfer.
func (t *tx) PutIncoming(in *app.IncomingTransfer) error {
	const op = "PutIncoming"
	if in == nil || in.ID == "" {
		return app.E(op, app.KindInvalid, app.MsgIncomingIDMissing)
	}
	byTime := t.bucket(bIncomingT)
	if old, err := t.Incoming(in.ID); err == nil {
		if err := byTime.Delete(incomingTimeKey(old)); err != nil {
			return wrapBolt(op, err)
		}
	} else if !app.Is(err, app.KindNotFound) {
		return err
	}
	if err := t.putJSON(op, bIncoming, in.ID, in); err != nil {
		return err
	}
	return wrapBolt(op, byTime.Put(incomingTimeKey(in), nil))
}

func (t *tx) Incoming(id string) (*app.IncomingTransfer, error) {
	var in app.IncomingTransfer
	if err := t.getJSON("Incoming", bIncoming, id, &in, app.M(app.MsgIncomingNotFound, id)); err != nil {
		return nil, err
	}
	return &in, nil
}

// ListIncoming returns incoming transfers newest arrival first, optionally
// only those still pending. Incoming transfers are few (tens a month); the
// pending filter is applied while walking the arrival index.
func (t *tx) ListIncoming(pendingOnly bool) ([]app.IncomingTransfer, error) {
	var out []app.IncomingTransfer
	c := t.bucket(bIncomingT).Cursor()
	for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
		if len(k) < 8 {
			continue
		}
		in, err := t.Incoming(string(k[8:]))
		if err != nil {
			return nil, app.E("ListIncoming", app.KindOther, app.MsgIncomingIndex, err)
		}
		if !pendingOnly || in.State == app.TransferPending {
			out = append(out, *in)
		}
	}
	return out, nil
}
