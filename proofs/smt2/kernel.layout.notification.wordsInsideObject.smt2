; obligation: kernel.layout.notification.wordsInsideObject
; statement: every notification field word lies inside the object: offset + 8 <= 2^6
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.notification.wordsInsideObject
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun notification () (_ BitVec 64))
(assert
 (bvule notification (_ bv281474976710655 64)))
(assert
 (= (bvand notification (_ bv63 64)) (_ bv0 64)))
(assert
 (let ((?x13 (bvadd notification (_ bv64 64))))
 (let (($x26 (and (bvule notification (bvadd notification (_ bv0 64))) (bvule (bvadd (bvadd notification (_ bv0 64)) (_ bv8 64)) ?x13))))
 (let (($x31 (and (and $x26 (bvule notification (bvadd notification (_ bv8 64)))) (bvule (bvadd (bvadd notification (_ bv8 64)) (_ bv8 64)) ?x13))))
 (let (($x36 (and (and $x31 (bvule notification (bvadd notification (_ bv16 64)))) (bvule (bvadd (bvadd notification (_ bv16 64)) (_ bv8 64)) ?x13))))
 (let (($x41 (and (and $x36 (bvule notification (bvadd notification (_ bv24 64)))) (bvule (bvadd (bvadd notification (_ bv24 64)) (_ bv8 64)) ?x13))))
 (let (($x46 (and (and $x41 (bvule notification (bvadd notification (_ bv32 64)))) (bvule (bvadd (bvadd notification (_ bv32 64)) (_ bv8 64)) ?x13))))
 (not $x46))))))))
(check-sat)
