package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"motcua/app"
)

// Probe is what a connection test finds on a server.
type Probe struct {
	Version string // the server's version, e.g. "15.8"
	// Office: the database already holds an office (another desk set it
	// up, or it was moved up): a desk joining it signs in; moving up refuses.
	Office     bool
	AgencyName string // the office's name when Office
}

// Check connects to dsn and says what is there, changing nothing: the
// set-up wizard's "Kiểm tra kết nối". Its errors are the Vietnamese answers
// of Open: a wrong password or user (KindPermission), a missing database
// (KindNotFound), an unreachable host or port (KindTransient), a server
// older than MinServerVersion (KindInvalid), a bad connection string.
func Check(ctx context.Context, dsn string) (Probe, error) {
	const op = "postgres.Check"
	var p Probe
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return p, app.E(op, app.KindInvalid, "Chuỗi kết nối PostgreSQL không hợp lệ", errors.New(Redact(err.Error())))
	}
	cfg.ConnectTimeout = 5 * time.Second
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return p, connectError(op, err)
	}
	defer conn.Close(context.Background())
	var num int
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version'), current_setting('server_version_num')::int`).Scan(&p.Version, &num); err != nil {
		return p, connectError(op, err)
	}
	if err := oldServer(op, num); err != nil {
		return p, err
	}
	var hasTable bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('office') IS NOT NULL`).Scan(&hasTable); err != nil {
		return p, wrap(op, err)
	}
	if hasTable {
		err := conn.QueryRow(ctx, `SELECT coalesce(doc->>'name', '') FROM office WHERE key = $1`, keyAgency).Scan(&p.AgencyName)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return p, wrap(op, err)
		default:
			p.Office = true
		}
	}
	return p, nil
}

// oldServer refuses a server older than MinServerVersion.
func oldServer(op string, version int) error {
	if version >= MinServerVersion {
		return nil
	}
	return app.E(op, app.KindInvalid, fmt.Sprintf("Máy chủ PostgreSQL quá cũ (phiên bản %d.%d): cần phiên bản %d trở lên",
		version/10000, version%10000, MinServerVersion/10000))
}

// ConnString is c (normalised) as a key=value connection string; with the
// password only when withPassword (never for a file or the log).
func ConnString(c app.ServerConn, withPassword bool) string {
	q := func(s string) string { return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'" }
	s := fmt.Sprintf("host=%s port=%d dbname=%s user=%s sslmode=%s", q(c.Host), c.Port, q(c.Database), q(c.User), c.TLS)
	if withPassword && c.Password != "" {
		s += " password=" + q(c.Password)
	}
	return s
}
