package postgres

import (
	"strings"
	"testing"

	"motcua/app"
)

// A server older than PostgreSQL 13 cannot be started here; its answer is
// checked on the version number the server reports.
func TestOldServerAnswer(t *testing.T) {
	err := oldServer("postgres.Check", 120017)
	want := app.MsgID("Máy chủ PostgreSQL quá cũ (phiên bản 12.17): cần phiên bản 13 trở lên")
	if app.KindOf(err) != app.KindInvalid || app.IDOf(err) != want {
		t.Errorf("PostgreSQL 12.17: %v, want %q", err, want)
	}
	for _, v := range []int{130000, 150018, 170002} {
		if err := oldServer("postgres.Check", v); err != nil {
			t.Errorf("%d refused: %v", v, err)
		}
	}
}

func TestConnStringQuotesAndKeepsThePasswordOut(t *testing.T) {
	c := app.ServerConn{Host: "may-chu", Port: 5432, Database: "một cửa", User: "o'brien", Password: "bí mật", TLS: app.TLSRequire}
	if got, want := ConnString(c, false), `host='may-chu' port=5432 dbname='một cửa' user='o\'brien' sslmode=require`; got != want {
		t.Errorf("ConnString = %s, want %s", got, want)
	}
	if got := ConnString(c, true); got != ConnString(c, false)+` password='bí mật'` {
		t.Errorf("with password: %s", got)
	}
	if r := Redact(ConnString(c, true)); strings.Contains(r, "bí") || strings.Contains(r, "mật") {
		t.Errorf("Redact leaves the password: %s", r)
	}
}
