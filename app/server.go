package app

import (
	"context"
	"strings"
)

// An office with several desks keeps its data on one PostgreSQL server
// (issue 12). The set-up wizard ("Nhiều máy — máy chủ PostgreSQL") and
// Cài đặt → "Chuyển dữ liệu lên máy chủ" ask for the connection with
// ServerConn and reach the server through the Servers port, which main
// implements over storage/postgres (the screens import no database).

// TLS modes of a server connection (PostgreSQL's sslmode).
const (
	TLSDisable    = "disable"
	TLSPrefer     = "prefer"
	TLSRequire    = "require"
	TLSVerifyFull = "verify-full"
)

// TLSModes are the TLS modes the screens offer, the weakest first.
var TLSModes = []string{TLSDisable, TLSPrefer, TLSRequire, TLSVerifyFull}

// DefaultServerPort is PostgreSQL's port.
const DefaultServerPort = 5432

// ServerConn is the connection to an office's PostgreSQL server.
type ServerConn struct {
	Host     string // name or address of the server PC (or a socket folder)
	Port     int    // 5432 when 0
	Database string
	User     string
	Password string // kept among this computer's secrets, never in a file or the log
	TLS      string // one of TLSModes; "" = prefer
}

// Normalize trims the fields and fills the defaults.
func (c ServerConn) Normalize() ServerConn {
	c.Host, c.Database, c.User = strings.TrimSpace(c.Host), strings.TrimSpace(c.Database), strings.TrimSpace(c.User)
	if c.Port == 0 {
		c.Port = DefaultServerPort
	}
	if c.TLS == "" {
		c.TLS = TLSPrefer
	}
	return c
}

// Check validates the fields of a normalised connection: field errors
// "host", "port", "database", "user", "tls".
func (c ServerConn) Check() error {
	var fe []FieldError
	if c.Host == "" || strings.ContainsAny(c.Host, " '\\") && !strings.HasPrefix(c.Host, "/") {
		fe = append(fe, FieldErr("host", MsgServerHost))
	}
	if c.Port < 1 || c.Port > 65535 {
		fe = append(fe, FieldErr("port", MsgServerPort))
	}
	if c.Database == "" {
		fe = append(fe, FieldErr("database", MsgServerDatabase))
	}
	if c.User == "" {
		fe = append(fe, FieldErr("user", MsgServerUser))
	}
	valid := false
	for _, m := range TLSModes {
		valid = valid || c.TLS == m
	}
	if !valid {
		fe = append(fe, FieldErr("tls", MsgServerTLS))
	}
	if len(fe) > 0 {
		return E("ServerConn", KindInvalid, fe)
	}
	return nil
}

// ServerInfo is what a connection test found.
type ServerInfo struct {
	Version string // the server's version, e.g. "15.8"
	// Office: the database already holds an office (set up at another
	// desk): a desk joining it goes to the sign-in screen; moving an office
	// up into it is refused.
	Office     bool
	AgencyName string
}

// MoveUpReport says what moving an office up to the server did.
type MoveUpReport struct {
	Moved     string          // what was copied, counted (Vietnamese)
	Integrity IntegrityReport // the integrity check on the server afterwards
}

// Servers is the port to the office server: main implements it.
type Servers interface {
	// Test connects to c and says what is there, changing nothing. Its
	// errors are clear Vietnamese answers: a wrong password, an unreachable
	// host, a missing database, a server too old.
	Test(ctx context.Context, c ServerConn) (ServerInfo, error)
	// Shared reports whether this desk works on a server already.
	Shared() bool
	// Use keeps c as this desk's database for the next starts (the password
	// among the protected secrets) and reopens the desk on it; it returns
	// the service over the server.
	Use(c ServerConn) (*Service, error)
	// MoveUp copies this desk's whole office into the empty database c
	// (refused with KindConflict when it holds an office already), checks
	// every history chain there, then switches the desk to it (as Use).
	// progress counts dossiers copied. It runs long: not on the UI thread.
	MoveUp(c ServerConn, progress Progress) (MoveUpReport, *Service, error)
}
