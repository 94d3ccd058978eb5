import { bundleOnce } from './bundle';

export default bundleOnce;
