package postgres

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"motcua/app"
)

// Outbox: one row per item; the (queue, id) index orders each queue, and the
// pending/parked counters live in the counters table.

const (
	ctrPending = "outbox/pending"
	ctrParked  = "outbox/parked"
)

func parkedCounter(parked bool) string {
	if parked {
		return ctrParked
	}
	return ctrPending
}

func (t *tx) outboxItem(op, id string) (*app.OutboxItem, error) {
	var it app.OutboxItem
	if err := t.getDoc(op, "outbox", "id", id, &it, fmt.Sprintf("Không còn mục %q trong hàng đợi gửi", id)); err != nil {
		return nil, err
	}
	return &it, nil
}

func (t *tx) Enqueue(item *app.OutboxItem) error {
	const op = "Enqueue"
	if item == nil || item.ID == "" || item.Queue == "" {
		return app.E(op, app.KindInvalid, "Mục hàng đợi gửi thiếu mã hoặc hàng")
	}
	raw, err := encode(op, item)
	if err != nil {
		return err
	}
	tag, err := t.tx.Exec(t.ctx, `INSERT INTO outbox (id, queue, parked, doc) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
		item.ID, item.Queue, item.Parked, raw)
	if err != nil {
		return t.fail(op, err)
	}
	if tag.RowsAffected() == 0 {
		return app.E(op, app.KindConflict, fmt.Sprintf("Mục %q đã có trong hàng đợi gửi", item.ID))
	}
	return t.addCounter(op, parkedCounter(item.Parked), 1)
}

func (t *tx) OutboxItem(id string) (*app.OutboxItem, error) { return t.outboxItem("OutboxItem", id) }

func (t *tx) PutOutboxItem(item *app.OutboxItem) error {
	const op = "PutOutboxItem"
	if item == nil {
		return app.E(op, app.KindInvalid, "Thiếu mục hàng đợi gửi")
	}
	var queue string
	var parked bool
	err := t.tx.QueryRow(t.ctx, `SELECT queue, parked FROM outbox WHERE id = $1 FOR UPDATE`, item.ID).Scan(&queue, &parked)
	if errors.Is(err, pgx.ErrNoRows) {
		return app.E(op, app.KindNotFound, fmt.Sprintf("Không còn mục %q trong hàng đợi gửi", item.ID))
	}
	if err != nil {
		return t.fail(op, err)
	}
	if queue != item.Queue {
		return app.E(op, app.KindInvalid, "Không được đổi hàng của một mục đang chờ gửi")
	}
	if parked != item.Parked {
		if err := t.addCounter(op, parkedCounter(parked), -1); err != nil {
			return err
		}
		if err := t.addCounter(op, parkedCounter(item.Parked), 1); err != nil {
			return err
		}
	}
	raw, err := encode(op, item)
	if err != nil {
		return err
	}
	return t.exec(op, `UPDATE outbox SET parked = $2, doc = $3 WHERE id = $1`, item.ID, item.Parked, raw)
}

func (t *tx) DeleteOutboxItem(id string) error {
	const op = "DeleteOutboxItem"
	var parked bool
	err := t.tx.QueryRow(t.ctx, `DELETE FROM outbox WHERE id = $1 RETURNING parked`, id).Scan(&parked)
	if errors.Is(err, pgx.ErrNoRows) {
		return app.E(op, app.KindNotFound, fmt.Sprintf("Không còn mục %q trong hàng đợi gửi", id))
	}
	if err != nil {
		return t.fail(op, err)
	}
	return t.addCounter(op, parkedCounter(parked), -1)
}

func (t *tx) outboxList(op, sql string, limit int) ([]app.OutboxItem, error) {
	lim := any(nil)
	if limit > 0 {
		lim = limit
	}
	return queryDocs[app.OutboxItem](t, op, sql, lim)
}

// OutboxHeads returns the first item of each queue, oldest head first. The
// outbox holds the calls not yet sent (a handful; hundreds when the hub was
// unreachable for days): the heads are found by one walk of its queue index.
func (t *tx) OutboxHeads(limit int) ([]app.OutboxItem, error) {
	return t.outboxList("OutboxHeads", `SELECT doc FROM (
		SELECT DISTINCT ON (queue) id, doc FROM outbox ORDER BY queue, id) h ORDER BY id LIMIT $1`, limit)
}

func (t *tx) OutboxItems(limit int) ([]app.OutboxItem, error) {
	return t.outboxList("OutboxItems", `SELECT doc FROM outbox ORDER BY id LIMIT $1`, limit)
}

func (t *tx) OutboxCount() (pending, parked int, err error) {
	rows, err := t.tx.Query(t.ctx, `SELECT name, n FROM counters WHERE name IN ($1, $2)`, ctrPending, ctrParked)
	if err != nil {
		return 0, 0, t.fail("OutboxCount", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return 0, 0, t.fail("OutboxCount", err)
		}
		if name == ctrPending {
			pending = n
		} else {
			parked = n
		}
	}
	return pending, parked, t.fail("OutboxCount", rows.Err())
}

// Inbox

func (t *tx) InboxCursor() (string, error) {
	var c string
	err := t.getDoc("InboxCursor", "office", "key", keyCursor, &c, "")
	if app.Is(err, app.KindNotFound) {
		return "", nil
	}
	return c, err
}

func (t *tx) SetInboxCursor(c string) error {
	return t.putDoc("SetInboxCursor", "office", "key", keyCursor, c)
}

func (t *tx) SeenEvent(id string) (bool, error) {
	if id == "" {
		return false, app.E("SeenEvent", app.KindInvalid, "Thiếu mã sự kiện")
	}
	var one int
	err := t.tx.QueryRow(t.ctx, `SELECT 1 FROM inbox_events WHERE id = $1`, id).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, t.fail("SeenEvent", err)
}

func (t *tx) MarkEvent(id string) error {
	if id == "" {
		return app.E("MarkEvent", app.KindInvalid, "Thiếu mã sự kiện")
	}
	return t.exec("MarkEvent", `INSERT INTO inbox_events (id) VALUES ($1) ON CONFLICT DO NOTHING`, id)
}

func (t *tx) PutIncoming(in *app.IncomingTransfer) error {
	const op = "PutIncoming"
	if in == nil || in.ID == "" {
		return app.E(op, app.KindInvalid, "Thiếu mã hồ sơ liên thông đến")
	}
	raw, err := encode(op, in)
	if err != nil {
		return err
	}
	return t.exec(op, `INSERT INTO incoming (id, arrived, pending, doc) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET arrived = excluded.arrived, pending = excluded.pending, doc = excluded.doc`,
		in.ID, timeKey(in.ArrivedAt), in.State == "pending", raw)
}

func (t *tx) Incoming(id string) (*app.IncomingTransfer, error) {
	var in app.IncomingTransfer
	if err := t.getDoc("Incoming", "incoming", "id", id, &in, fmt.Sprintf("Không có hồ sơ liên thông đến %q", id)); err != nil {
		return nil, err
	}
	return &in, nil
}

func (t *tx) ListIncoming(pendingOnly bool) ([]app.IncomingTransfer, error) {
	const op = "ListIncoming"
	return queryDocs[app.IncomingTransfer](t, op, `SELECT doc FROM incoming WHERE pending OR NOT $1 ORDER BY arrived DESC, id DESC`, pendingOnly)
}

// Keys as the bbolt store orders them.

// timeKey is Unix nanoseconds; the zero time (and anything before 1970) is 0.
func timeKey(t time.Time) int64 {
	if t.IsZero() || t.Before(time.Unix(0, 0)) {
		return 0
	}
	return t.UnixNano()
}

// noDue is the due key of a dossier without an appointment date: last.
const noDue = math.MaxInt64

func dueKey(t time.Time) int64 {
	if t.IsZero() {
		return noDue
	}
	return timeKey(t)
}
