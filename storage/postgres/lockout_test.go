package postgres_test

import (
	"testing"

	"motcua/internal/pgtest"
	"motcua/storage/storetest"
)

// TestLockOutAcrossDesks: two desks, each its own connection pool to one
// database, count the failed sign-ins of one account together — also when
// they are typed at the same moment (the account row is locked while a
// sign-in decides).
func TestLockOutAcrossDesks(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.LockOutAcrossDesks(t, openDSN(t, dsn), openDSN(t, dsn))
}
