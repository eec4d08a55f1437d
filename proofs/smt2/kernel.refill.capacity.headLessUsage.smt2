; obligation: kernel.refill.capacity.headLessUsage
; statement: refill_capacity(usage) is the head's amount less the usage when the usage does not exceed it, else 0, never wrapping; refill_sufficient(usage) holds iff usage + MIN_BUDGET ≤ the head's amount (usage at most MAX_PERIOD, MIN_BUDGET in 1...MAX_PERIOD)
; bound: usage, MIN_BUDGET and the head's amount at most MAX_PERIOD = 36000000000 ticks
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.refill.capacity.headLessUsage
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun headAmount () (_ BitVec 64))
(declare-fun usage () (_ BitVec 64))
(declare-fun minBudget () (_ BitVec 64))
(assert
 (bvule headAmount (_ bv36000000000 64)))
(assert
 (bvule usage (_ bv36000000000 64)))
(assert
 (bvule minBudget (_ bv36000000000 64)))
(assert
 (bvule (_ bv1 64) minBudget))
(assert
 (let ((?x0 (bvsub headAmount usage)))
 (let ((?x1 (ite (bvult headAmount usage) (_ bv0 64) ?x0)))
 (let (($x2 (bvule minBudget ?x1)))
 (let (($x3 (and (= ?x1 (ite (bvule usage headAmount) ?x0 (_ bv0 64))) (bvule ?x1 headAmount))))
 (let (($x4 (and $x3 (or (not $x2) (bvule (bvadd usage minBudget) headAmount)))))
 (let (($x5 (and $x4 (or (not (bvule (bvadd usage minBudget) headAmount)) $x2))))
 (not $x5))))))))
(check-sat)
