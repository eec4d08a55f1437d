; obligation: kernel.cspace.guardBitsMaskedShiftIsExact
; statement: masking the guard shift to 6 bits (as C does) reads the same guard bits as the unmasked shift
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.cspace.guardBitsMaskedShiftIsExact
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun bitsLeft () (_ BitVec 64))
(declare-fun guardSize () (_ BitVec 64))
(declare-fun cptr () (_ BitVec 64))
(assert
 (bvule bitsLeft (_ bv64 64)))
(assert
 (bvule guardSize (_ bv63 64)))
(assert
 (bvule guardSize bitsLeft))
(assert
 (let ((?x0 (ite (bvule (_ bv64 64) guardSize) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) guardSize) (_ bv1 64)))))
 (let ((?x1 (bvand (bvlshr cptr (bvand (bvsub bitsLeft guardSize) (_ bv63 64))) ?x0)))
 (let (($x2 (= ?x1 (bvand (bvlshr cptr (bvsub bitsLeft guardSize)) ?x0))))
 (not $x2)))))
(check-sat)
