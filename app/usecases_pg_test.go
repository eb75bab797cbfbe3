package app_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"motcua/app"
	"motcua/internal/pgtest"
	"motcua/storage/postgres"
)

// openTestStore, when set, gives newOffice its store instead of the bbolt
// file (whose *storage.DB stays in office.db for the bbolt-only tests).
var openTestStore func(t *testing.T) app.Store

// TestUseCasesOnPostgres runs the use-case tests of this package that need
// nothing bbolt-specific again, on the PostgreSQL store of several desks: a
// private cluster started for this test, one fresh database per test.
func TestUseCasesOnPostgres(t *testing.T) {
	c, err := pgtest.Start()
	if err != nil {
		if os.Getenv("MOTCUA_REQUIRE_PG") == "1" {
			t.Fatalf("MOTCUA_REQUIRE_PG=1: %v", err)
		}
		fmt.Fprintf(os.Stderr, "### %s: app use cases on bbolt only (%v)\n", pgtest.Banner, err)
		t.Skipf("%s: %v", pgtest.Banner, err)
	}
	defer c.Close()
	var n atomic.Int64
	openTestStore = func(t *testing.T) app.Store {
		dsn, err := c.CreateDB(fmt.Sprintf("app%d", n.Add(1)))
		if err != nil {
			t.Fatal(err)
		}
		db, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	defer func() { openTestStore = nil }()
	for _, c := range []struct {
		name string
		f    func(*testing.T)
	}{
		{"ReceiveGivesCodeDueDateAndRegisterRow", TestReceiveGivesCodeDueDateAndRegisterRow},
		{"ReceiveRefusesBadInputAndStoresNothing", TestReceiveRefusesBadInputAndStoresNothing},
		{"FullWorkflowToReturn", TestFullWorkflowToReturn},
		{"SupplementClockPolicies", TestSupplementClockPolicies},
		{"DelayKeepsStatisticsDate", TestDelayKeepsStatisticsDate},
		{"RefuseAndGuideAtIntake", TestRefuseAndGuideAtIntake},
		{"PaymentStopWithdraw", TestPaymentStopWithdraw},
		{"EveryUseCaseChecksRoles", TestEveryUseCaseChecksRoles},
		{"SignInLocksAfterFiveFailures", TestSignInLocksAfterFiveFailures},
		{"SearchProceduresWithoutDiacritics", TestSearchProceduresWithoutDiacritics},
		{"ChangeFeedAnnouncesCommittedChanges", TestChangeFeedAnnouncesCommittedChanges},
		{"SenderCodeFindsTheDossierTakenIn", TestSenderCodeFindsTheDossierTakenIn},
	} {
		t.Run(c.name, c.f)
	}
}
