; obligation: kernel.cspace.guardCheckMeansMatch
; statement: when the guard check passes, the guard bits of the address equal the cap's guard
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.cspace.guardCheckMeansMatch
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun bitsLeft () (_ BitVec 64))
(declare-fun guardSize () (_ BitVec 64))
(declare-fun radix () (_ BitVec 64))
(declare-fun guard () (_ BitVec 64))
(declare-fun cptr () (_ BitVec 64))
(assert
 (bvule bitsLeft (_ bv64 64)))
(assert
 (bvule guardSize (_ bv63 64)))
(assert
 (bvule radix (_ bv63 64)))
(assert
 (let ((?x0 (bvadd guardSize radix)))
 (bvule ?x0 bitsLeft)))
(assert
 (let ((?x0 (bvadd guardSize radix)))
 (bvule (_ bv1 64) ?x0)))
(assert
 (let ((?x1 (ite (bvule (_ bv64 64) guardSize) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) guardSize) (_ bv1 64)))))
 (let ((?x2 (bvand (bvlshr cptr (bvand (bvsub bitsLeft guardSize) (_ bv63 64))) ?x1)))
 (not (or (bvult bitsLeft guardSize) (not (= ?x2 guard)))))))
(assert
 (let ((?x1 (ite (bvule (_ bv64 64) guardSize) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) guardSize) (_ bv1 64)))))
 (let (($x3 (= (bvand (bvlshr cptr (bvsub bitsLeft guardSize)) ?x1) guard)))
 (not $x3))))
(check-sat)
