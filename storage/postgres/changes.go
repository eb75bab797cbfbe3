package postgres

import (
	"context"
	"strings"
	"time"
)

// Change is one committed change another desk made (or this one), as the
// database announces it on the "motcua_changes" channel: Kind is "dossier"
// (Key its code), "user" (Key the username), "office" (Key "agency",
// "settings" or "inbox_cursor"), "procedures", "calendar" or "incoming";
// "resync" means notifications may have been missed (the connection was
// lost and is back): reload whatever is on screen.
type Change struct {
	Kind string
	Key  string
}

// Changes calls fn with every change committed to the database, from any
// desk, until ctx ends: the live updates of lists, home counts and open
// detail screens, without polling tables. Triggers send the notifications
// at commit (migration 2), so only committed changes arrive, within
// milliseconds. It holds one connection of its own; when that connection is
// lost it reconnects (backing off up to 5 s) and sends a "resync" change.
// fn runs on Changes' goroutine and must not block for long.
func (db *DB) Changes(ctx context.Context, fn func(Change)) error {
	wait := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		err := db.listen(ctx, fn, !first)
		first = false
		if ctx.Err() != nil {
			break
		}
		_ = err // lost: try again
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(wait*2, 5*time.Second)
	}
	return nil
}

func (db *DB) listen(ctx context.Context, fn func(Change), resync bool) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer func() {
		conn.Conn().PgConn().Close(context.Background()) // a LISTENing session is not returned to the pool
		conn.Release()
	}()
	if _, err := conn.Exec(ctx, `LISTEN motcua_changes`); err != nil {
		return err
	}
	if resync {
		fn(Change{Kind: "resync"})
	}
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			return err
		}
		kind, key, _ := strings.Cut(n.Payload, ":")
		fn(Change{Kind: kind, Key: key})
	}
}
