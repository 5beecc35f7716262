"""Expand the transcription files raw/mcu_rows_part*.txt into the published CSVs.
Op codes (one per edge, NB201 edge order 1<-0 | 2<-0 2<-1 | 3<-0 3<-1 3<-2):
n=none s=skip_connect 1=nor_conv_1x1 3=nor_conv_3x3 a=avg_pool_3x3.
Numbers are copied as text, unchanged."""
import glob, os
OPS={'n':'none','s':'skip_connect','1':'nor_conv_1x1','3':'nor_conv_3x3','a':'avg_pool_3x3'}
def expand(c):
    o=[OPS[x] for x in c]
    return f"|{o[0]}~0|+|{o[1]}~0|{o[2]}~1|+|{o[3]}~0|{o[4]}~1|{o[5]}~2|"
here=os.path.dirname(os.path.abspath(__file__)); out=os.path.dirname(here)
rows=[]
for f in sorted(glob.glob(os.path.join(here,'mcu_rows_part*.txt'))):
    for line in open(f):
        if line.startswith('#') or not line.strip(): continue
        i,c,i8,lat,pw,en=line.split(); rows.append((int(i),expand(c),i8,lat,pw,en))
rows.sort()
pre='nats-bench-mcu-nrf5340'
cols={'latency_s':3,'energy_mJ':5,'int8_kb':2,'power_mW':4}
for name,k in cols.items():
    with open(os.path.join(out,f'{pre}-{name}.csv'),'w') as fh:
        fh.write(f'arch,{name}\n')
        for r in rows: fh.write(f'{r[1]},{r[k]}\n')
with open(os.path.join(out,f'{pre}-all.csv'),'w') as fh:
    fh.write('arch_idx,arch,int8_kb,latency_s,power_mW,energy_mJ\n')
    for r in rows: fh.write(','.join(map(str,r))+'\n')
print(len(rows),'rows')
