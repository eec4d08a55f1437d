; obligation: kernel.retype.objectSizeBounded
; statement: every object type's size for an accepted size_bits stays at most MaxUntypedBits or is refused
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.retype.objectSizeBounded
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun type () (_ BitVec 64))
(declare-fun sizeBits () (_ BitVec 64))
(assert
 (bvule type (_ bv6 64)))
(assert
 (bvule sizeBits (_ bv63 64)))
(assert
 (let ((?x0 (ite (= type (_ bv4 64)) (bvadd sizeBits (_ bv5 64)) (ite (= type (_ bv5 64)) sizeBits (ite (= type (_ bv6 64)) (_ bv5 64) (_ bv0 64))))))
 (let ((?x1 (ite (= type (_ bv1 64)) (_ bv11 64) (ite (= type (_ bv2 64)) (_ bv4 64) (ite (= type (_ bv3 64)) (_ bv6 64) ?x0)))))
 (let (($x2 (or (bvule (ite (= type (_ bv0 64)) sizeBits ?x1) (_ bv47 64)) (bvule (_ bv42 64) sizeBits))))
 (not $x2)))))
(check-sat)
