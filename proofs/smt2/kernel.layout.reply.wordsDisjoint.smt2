; obligation: kernel.layout.reply.wordsDisjoint
; statement: no two reply field words overlap
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.reply.wordsDisjoint
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun reply () (_ BitVec 64))
(assert
 (bvule reply (_ bv281474976710655 64)))
(assert
 (= (bvand reply (_ bv31 64)) (_ bv0 64)))
(assert
 (let (($x0 (or (bvule (bvadd (bvadd reply (_ bv8 64)) (_ bv8 64)) (bvadd reply (_ bv16 64))) (bvule (bvadd (bvadd reply (_ bv16 64)) (_ bv8 64)) (bvadd reply (_ bv8 64))))))
 (let (($x1 (or (bvule (bvadd (bvadd reply (_ bv0 64)) (_ bv8 64)) (bvadd reply (_ bv16 64))) (bvule (bvadd (bvadd reply (_ bv16 64)) (_ bv8 64)) (bvadd reply (_ bv0 64))))))
 (let (($x2 (or (bvule (bvadd (bvadd reply (_ bv0 64)) (_ bv8 64)) (bvadd reply (_ bv8 64))) (bvule (bvadd (bvadd reply (_ bv8 64)) (_ bv8 64)) (bvadd reply (_ bv0 64))))))
 (let (($x3 (and (and $x2 $x1) $x0)))
 (not $x3))))))
(check-sat)
