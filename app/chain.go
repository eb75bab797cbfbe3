package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// The history of each dossier and the administration log are hash chains:
// each entry carries the hash of the previous one, and its own hash covers all
// its fields. Editing, removing or reordering a stored entry breaks the chain
// at that entry, which VerifyChain names.

// HashEntry computes the hash of a history entry (its Hash field excluded):
// SHA-256 of the entry's JSON encoding, which includes PrevHash and the Seal
// of the dossier's state after the change (app/seal.go). Entries written
// before seals existed have no "seal" key, so their hashes are unchanged.
func HashEntry(e HistoryEntry) string {
	e.Hash = ""
	b, _ := json.Marshal(e)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// HashAudit computes the hash of an administration log entry.
func HashAudit(e AuditEntry) string {
	e.Hash = ""
	b, _ := json.Marshal(e)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// BreakKind classifies a finding of the integrity check; ChainBreak.Reason
// words it (a message ID, which the screens translate).
type BreakKind string

const (
	BreakEntry          BreakKind = "entry"           // a history or audit entry was edited, removed or inserted (Seq)
	BreakState          BreakKind = "state"           // the dossier record differs from what its chain commits to (Field)
	BreakUnsealed       BreakKind = "unsealed"        // the chain's last entry commits to no state
	BreakDossierMissing BreakKind = "dossier_missing" // a history without its dossier record
	BreakHistoryMissing BreakKind = "history_missing" // a dossier record without history
	BreakHeads          BreakKind = "heads"           // the day's chain heads on record differ from the chains (Day)
	BreakCounter        BreakKind = "counter"         // a day's statistics counters differ from the records (Day, Field = procedure)
	BreakDigest         BreakKind = "digest"          // a stored daily digest differs from its recomputation (Day)
	BreakHubDigest      BreakKind = "hub_digest"      // the hub's copy of a daily digest differs (Day)
	BreakPrintedDigest  BreakKind = "printed_digest"  // a printed daily digest differs (Day)
	BreakRead           BreakKind = "read"            // something could not be read
)

// ChainBreak is one finding: a broken link of a chain, a record that differs
// from its chain, a day whose counters or digest differ.
type ChainBreak struct {
	Chain  string    // a dossier code, "audit", "stats", "digest" or "dossiers" (the list)
	Seq    int       // the entry whose stored hash or link is wrong (0: none)
	Reason Message   // what is wrong; Reason.Text() in Vietnamese
	Kind   BreakKind // what was found
	Field  string    // BreakState: the seal field key (SealFieldLabel names it); BreakCounter: the procedure
	Day    string    // YYYY-MM-DD for the day-based kinds
}

// String is the finding in Vietnamese, for logs and tests:
// "<chain> #<seq>: <reason>".
func (b ChainBreak) String() string {
	reason := b.Reason.Text()
	switch {
	case b.Seq > 0:
		return fmt.Sprintf("%s #%d: %s", b.Chain, b.Seq, reason)
	case b.Chain == "":
		return reason
	}
	return fmt.Sprintf("%s: %s", b.Chain, reason)
}

func entryBreak(chain string, seq int, reason Message) *ChainBreak {
	return &ChainBreak{Chain: chain, Seq: seq, Reason: reason, Kind: BreakEntry}
}

// VerifyHistory checks one dossier's chain and returns the first break, if any.
func VerifyHistory(code string, es []HistoryEntry) *ChainBreak {
	prev := ""
	for i, e := range es {
		switch {
		case e.Seq != i+1:
			return entryBreak(code, e.Seq, M(MsgBreakSeqGap, e.Seq, i+1))
		case e.PrevHash != prev:
			return entryBreak(code, e.Seq, M(MsgBreakLink))
		case HashEntry(e) != e.Hash:
			return entryBreak(code, e.Seq, M(MsgBreakEdited))
		}
		prev = e.Hash
	}
	return nil
}

// VerifyAudit checks the administration log chain.
func VerifyAudit(es []AuditEntry) *ChainBreak {
	prev := ""
	for i, e := range es {
		switch {
		case e.Seq != i+1:
			return entryBreak("audit", e.Seq, M(MsgBreakAuditSeq, e.Seq, i+1))
		case e.PrevHash != prev:
			return entryBreak("audit", e.Seq, M(MsgBreakAuditLink))
		case HashAudit(e) != e.Hash:
			return entryBreak("audit", e.Seq, M(MsgBreakEdited))
		}
		prev = e.Hash
	}
	return nil
}
