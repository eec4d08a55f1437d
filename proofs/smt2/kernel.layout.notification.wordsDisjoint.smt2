; obligation: kernel.layout.notification.wordsDisjoint
; statement: no two notification field words overlap
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.notification.wordsDisjoint
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun notification () (_ BitVec 64))
(assert
 (bvule notification (_ bv281474976710655 64)))
(assert
 (= (bvand notification (_ bv63 64)) (_ bv0 64)))
(assert
 (let ((?x18 (bvadd notification (_ bv24 64))))
 (let ((?x20 (bvadd notification (_ bv32 64))))
 (let ((?x37 (bvadd ?x20 (_ bv8 64))))
 (let (($x59 (or (bvule (bvadd (bvadd notification (_ bv16 64)) (_ bv8 64)) ?x20) (bvule ?x37 (bvadd notification (_ bv16 64))))))
 (let (($x55 (or (bvule (bvadd (bvadd notification (_ bv16 64)) (_ bv8 64)) ?x18) (bvule (bvadd ?x18 (_ bv8 64)) (bvadd notification (_ bv16 64))))))
 (let (($x51 (or (bvule (bvadd (bvadd notification (_ bv8 64)) (_ bv8 64)) ?x20) (bvule ?x37 (bvadd notification (_ bv8 64))))))
 (let (($x47 (or (bvule (bvadd (bvadd notification (_ bv8 64)) (_ bv8 64)) ?x18) (bvule (bvadd ?x18 (_ bv8 64)) (bvadd notification (_ bv8 64))))))
 (let ((?x14 (bvadd notification (_ bv8 64))))
 (let ((?x16 (bvadd notification (_ bv16 64))))
 (let ((?x27 (bvadd ?x16 (_ bv8 64))))
 (let (($x39 (or (bvule (bvadd (bvadd notification (_ bv0 64)) (_ bv8 64)) ?x20) (bvule ?x37 (bvadd notification (_ bv0 64))))))
 (let (($x34 (or (bvule (bvadd (bvadd notification (_ bv0 64)) (_ bv8 64)) ?x18) (bvule (bvadd ?x18 (_ bv8 64)) (bvadd notification (_ bv0 64))))))
 (let (($x29 (or (bvule (bvadd (bvadd notification (_ bv0 64)) (_ bv8 64)) ?x16) (bvule ?x27 (bvadd notification (_ bv0 64))))))
 (let (($x25 (or (bvule (bvadd (bvadd notification (_ bv0 64)) (_ bv8 64)) ?x14) (bvule (bvadd ?x14 (_ bv8 64)) (bvadd notification (_ bv0 64))))))
 (let (($x44 (and (and (and (and $x25 $x29) $x34) $x39) (or (bvule (bvadd ?x14 (_ bv8 64)) ?x16) (bvule ?x27 ?x14)))))
 (let (($x64 (and (and (and (and (and $x44 $x47) $x51) $x55) $x59) (or (bvule (bvadd ?x18 (_ bv8 64)) ?x20) (bvule ?x37 ?x18)))))
 (not $x64))))))))))))))))))
(check-sat)
