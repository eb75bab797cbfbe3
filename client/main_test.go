package client_test

import (
	"os"
	"testing"

	"motcua/internal/pgtest"
)

// TestMain starts the private PostgreSQL cluster of the run (the desks of
// leader_test.go share one database); without PostgreSQL those tests skip
// loudly, or the run fails when MOTCUA_REQUIRE_PG=1.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
