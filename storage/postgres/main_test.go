package postgres_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"motcua/app"

	"motcua/internal/pgtest"
	"motcua/storage/postgres"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// openDB opens a fresh database of the run's private cluster.
func openDB(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenMigrates(t *testing.T) {
	db := openDB(t)
	v, err := db.Schema(context.Background())
	if err != nil || v != postgres.SchemaVersion() {
		t.Fatalf("schema %d, %v; want %d", v, err, postgres.SchemaVersion())
	}
}

// TestOpenExplainsFailures: a missing database and a server that is not
// there get Vietnamese answers of distinct kinds, without the password.
func TestOpenExplainsFailures(t *testing.T) {
	c := pgtest.Shared()
	if c == nil {
		t.Skip(pgtest.Banner)
	}
	ctx := context.Background()
	_, err := postgres.Open(ctx, c.DSN("khong_co_csdl")+" password=bi-mat")
	if !app.Is(err, app.KindNotFound) || !strings.Contains(err.Error(), "không có cơ sở dữ liệu này") || strings.Contains(err.Error(), "bi-mat") {
		t.Errorf("missing database: %v", err)
	}
	_, err = postgres.Open(ctx, "postgres://motcua:bi-mat@127.0.0.1:1/motcua?connect_timeout=2")
	if !app.Is(err, app.KindTransient) || !strings.Contains(err.Error(), "Không kết nối được máy chủ PostgreSQL") || strings.Contains(err.Error(), "bi-mat") {
		t.Errorf("unreachable server: %v", err)
	}
	_, err = postgres.Open(ctx, "postgres://motcua:bi-mat@[bad")
	if !app.Is(err, app.KindInvalid) || strings.Contains(err.Error(), "bi-mat") {
		t.Errorf("malformed connection string: %v", err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h/db":                            "postgres://u:xxxxx@h/db",
		"connect to postgres://u:se@cret@h:5432/db x":         "connect to postgres://u:xxxxx@h:5432/db x",
		"host=h password=secret user=u":                       "host=h password=xxxxx user=u",
		"host=h PASSWORD='se cret' user=u":                    "host=h PASSWORD=xxxxx user=u",
		"postgresql://u@h/db?sslmode=require&password=secret": "postgresql://u@h/db?sslmode=require&password=xxxxx",
		"no secrets here":                                     "no secrets here",
	} {
		if got := postgres.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
