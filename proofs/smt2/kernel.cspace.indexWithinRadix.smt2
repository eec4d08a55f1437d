; obligation: kernel.cspace.indexWithinRadix
; statement: the slot index a level selects is below 2^radix
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.cspace.indexWithinRadix
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun bitsLeft () (_ BitVec 64))
(declare-fun guardSize () (_ BitVec 64))
(declare-fun radix () (_ BitVec 64))
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
 (let ((?x1 (bvshl (_ bv1 64) radix)))
 (let ((?x2 (bvand (bvlshr cptr (bvsub bitsLeft (bvadd guardSize radix))) (ite (bvule (_ bv64 64) radix) (_ bv18446744073709551615 64) (bvsub ?x1 (_ bv1 64))))))
 (let (($x3 (bvult ?x2 ?x1)))
 (not $x3)))))
(check-sat)
