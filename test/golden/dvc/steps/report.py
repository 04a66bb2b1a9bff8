import sys
print('report', sys.argv[1:])
