// Package pgtest starts a private, throw-away PostgreSQL cluster for a test
// run: its own data folder in a temporary directory, its own Unix socket and
// no TCP port, started by TestMain and stopped (and deleted) at the end. When
// the tests run as root the cluster runs as the "postgres" user that
// Debian's package creates, since initdb refuses root.
//
// When PostgreSQL is not installed the tests that need it are skipped, and
// the run says so loudly on stderr ("POSTGRESQL HALF SKIPPED"); with
// MOTCUA_REQUIRE_PG=1 (CI) the run fails instead.
//
// Usage, in a package's main_test.go:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// and in a test: dsn := pgtest.DSN(t) (a fresh, empty database).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN hands a database to a child process the test re-executes: when it is
// set, Main starts no cluster and DSN returns it.
const EnvDSN = "MOTCUA_PGTEST_DSN"

// Banner is printed on stderr when PostgreSQL is missing.
const Banner = "POSTGRESQL HALF SKIPPED"

// Cluster is a running private cluster.
type Cluster struct {
	Dir  string // temporary folder: data/, the socket, log
	Bin  string // /usr/lib/postgresql/N/bin
	Port int
	user string // "postgres" when run as root, "" otherwise
}

var (
	shared     *Cluster
	missingWhy string
	dbCounter  atomic.Int64
	mu         sync.Mutex
)

// FindBin returns the newest /usr/lib/postgresql/*/bin holding initdb.
func FindBin() (string, error) {
	if b := os.Getenv("MOTCUA_PG_BIN"); b != "" {
		if _, err := os.Stat(filepath.Join(b, "initdb")); err != nil {
			return "", fmt.Errorf("MOTCUA_PG_BIN=%s holds no initdb: %w", b, err)
		}
		return b, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql")
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// Start creates and starts a cluster in a new temporary folder.
func Start() (*Cluster, error) {
	bin, err := FindBin()
	if err != nil {
		return nil, err
	}
	c := &Cluster{Bin: bin, Port: 5433}
	if os.Geteuid() == 0 {
		c.user = "postgres"
	}
	c.Dir, err = os.MkdirTemp("", "motcua-pg-")
	if err != nil {
		return nil, err
	}
	if c.user != "" {
		u, err := user.Lookup(c.user)
		if err != nil {
			os.RemoveAll(c.Dir)
			return nil, fmt.Errorf("running as root needs the %q user of the PostgreSQL package: %w", c.user, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(c.Dir, uid, gid); err != nil {
			os.RemoveAll(c.Dir)
			return nil, err
		}
	}
	if out, err := c.run("initdb", "-D", c.data(), "-A", "trust", "-U", "motcua", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		os.RemoveAll(c.Dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	// Every role signs in without a password (trust) except PasswordUser,
	// which must give its password: the tests of a wrong password need one.
	hba := filepath.Join(c.data(), "pg_hba.conf")
	conf, err := os.ReadFile(hba)
	if err == nil {
		err = os.WriteFile(hba, append([]byte("local all "+PasswordUser+" scram-sha-256\n"), conf...), 0o600)
	}
	if err != nil {
		os.RemoveAll(c.Dir)
		return nil, err
	}
	if err := c.StartServer(); err != nil {
		os.RemoveAll(c.Dir)
		return nil, err
	}
	return c, nil
}

// PasswordUser is the cluster's one role that signs in with a password
// (PasswordUserPassword); CreatePasswordUser creates it.
const (
	PasswordUser         = "motcua_pw"
	PasswordUserPassword = "Mật khẩu máy chủ 2025"
)

// CreatePasswordUser creates PasswordUser (once; later calls do nothing).
func (c *Cluster) CreatePasswordUser() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, PasswordUser).Scan(&exists); err != nil || exists {
		return err
	}
	_, err = conn.Exec(ctx, "CREATE ROLE "+PasswordUser+" LOGIN CREATEDB PASSWORD "+quote(PasswordUserPassword))
	return err
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (c *Cluster) data() string { return filepath.Join(c.Dir, "data") }

func (c *Cluster) run(tool string, args ...string) ([]byte, error) {
	path := filepath.Join(c.Bin, tool)
	var cmd *exec.Cmd
	if c.user != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.user, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.Dir
	return cmd.CombinedOutput()
}

// StartServer starts the server of an initialised (or stopped) cluster and
// waits until it accepts connections.
func (c *Cluster) StartServer() error {
	opts := fmt.Sprintf("-k %s -p %d -c listen_addresses='' -c max_connections=100 -c shared_buffers=64MB", c.Dir, c.Port)
	if out, err := c.run("pg_ctl", "-D", c.data(), "-o", opts, "-l", filepath.Join(c.Dir, "log"), "-w", "-t", "30", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.Dir, "log"))
		return fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	return nil
}

// StopServer stops the server; mode is "fast" or "immediate" (a crash: no
// shutdown checkpoint, like pulling the plug on the server process).
func (c *Cluster) StopServer(mode string) error {
	if out, err := c.run("pg_ctl", "-D", c.data(), "-m", mode, "-w", "stop"); err != nil {
		return fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	return nil
}

// Close stops the server and deletes the cluster.
func (c *Cluster) Close() {
	c.StopServer("fast")
	os.RemoveAll(c.Dir)
}

// DSN is the connection string of database db, over the Unix socket.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("host=%s port=%d user=motcua dbname=%s sslmode=disable", c.Dir, c.Port, db)
}

// CreateDB creates an empty database and returns its connection string.
func (c *Cluster) CreateDB(name string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	return c.DSN(name), nil
}

// Main starts the shared cluster, runs the tests and stops it. Without
// PostgreSQL it prints the banner and runs the tests (those calling DSN
// skip), or fails when MOTCUA_REQUIRE_PG=1.
func Main(m *testing.M) int {
	if os.Getenv(EnvDSN) != "" { // a child process: the parent owns the cluster
		return m.Run()
	}
	c, err := Start()
	if err != nil {
		missingWhy = err.Error()
		line := "################################################################"
		fmt.Fprintf(os.Stderr, "%s\n### %s: %s\n%s\n", line, Banner, missingWhy, line)
		// go test hides the output of a passing package: say it on the terminal too.
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			fmt.Fprintf(tty, "### %s (%s)\n", Banner, missingWhy)
			tty.Close()
		}
		if os.Getenv("MOTCUA_REQUIRE_PG") == "1" {
			fmt.Fprintln(os.Stderr, "MOTCUA_REQUIRE_PG=1: PostgreSQL is required here; failing")
			return 1
		}
		code := m.Run()
		fmt.Fprintf(os.Stderr, "%s\n### %s (the tests above ran on bbolt only)\n%s\n", line, Banner, line)
		return code
	}
	shared = c
	code := m.Run()
	c.Close()
	return code
}

// Shared is the run's cluster (nil without PostgreSQL or in a child).
func Shared() *Cluster { return shared }

// DSN returns the connection string of a fresh, empty database for t,
// skipping t (loudly) when PostgreSQL is missing.
func DSN(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		return dsn
	}
	if shared == nil {
		why := missingWhy
		if why == "" {
			why = "pgtest.Main was not called from TestMain"
		}
		t.Skipf("%s: %s", Banner, why)
	}
	mu.Lock()
	defer mu.Unlock()
	dsn, err := shared.CreateDB(fmt.Sprintf("t%d_%d", os.Getpid(), dbCounter.Add(1)))
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}
