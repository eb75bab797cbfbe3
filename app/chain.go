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

// HashEntry computes the hash of a history entry (its Hash field excluded).
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

// ChainBreak names the first broken link of a chain.
type ChainBreak struct {
	Chain  string // a dossier code, or "audit"
	Seq    int    // the entry whose stored hash or link is wrong
	Reason Message
}

func (b ChainBreak) String() string {
	return fmt.Sprintf("%s #%d: %s", b.Chain, b.Seq, b.Reason.Text())
}

// VerifyHistory checks one dossier's chain and returns the first break, if any.
func VerifyHistory(code string, es []HistoryEntry) *ChainBreak {
	prev := ""
	for i, e := range es {
		switch {
		case e.Seq != i+1:
			return &ChainBreak{code, e.Seq, M(MsgBreakSeqGap, e.Seq, i+1)}
		case e.PrevHash != prev:
			return &ChainBreak{code, e.Seq, M(MsgBreakLink)}
		case HashEntry(e) != e.Hash:
			return &ChainBreak{code, e.Seq, M(MsgBreakEdited)}
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
			return &ChainBreak{"audit", e.Seq, M(MsgBreakAuditSeq, e.Seq, i+1)}
		case e.PrevHash != prev:
			return &ChainBreak{"audit", e.Seq, M(MsgBreakAuditLink)}
		case HashAudit(e) != e.Hash:
			return &ChainBreak{"audit", e.Seq, M(MsgBreakEdited)}
		}
		prev = e.Hash
	}
	return nil
}
